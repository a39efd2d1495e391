/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes online values for tests the way the materializer does: keys and values from the shared
 * codec, written with Lettuce.
 */
public final class OnlineTestStore implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;

  public OnlineTestStore(String uri) {
    client = RedisClient.create(uri);
    connection = client.connect(ByteArrayCodec.INSTANCE);
  }

  /** Writes one (entity, view) value; {@code keyValues} in the view's join key order. */
  public void put(
      Definitions definitions,
      String viewName,
      List<?> keyValues,
      Instant event,
      List<?> features) {
    FeatureView view = definitions.requireFeatureView(viewName);
    byte[] key =
        OnlineKeys.key(definitions.project(), view.name(), definitions.joinKeysOf(view), keyValues);
    byte[] value =
        new OnlineValueCodec(definitions.project(), view)
            .encode(features, micros(event), OptionalLong.empty());
    connection.sync().set(key, value);
  }

  /** Removes everything (the test owns this Redis or uses keys of its own project). */
  public void flush() {
    connection.sync().flushdb();
  }

  /** Returns the raw INFO section text. */
  public String info(String section) {
    return connection.sync().info(section);
  }

  /** Makes Redis hold every client's commands for a while (CLIENT PAUSE), as a slow Redis. */
  public void pauseClients(java.time.Duration duration) {
    connection.sync().clientPause(duration.toMillis());
  }

  /**
   * Makes Redis require a password from every new connection (CONFIG SET requirepass), as {@code
   * redis-server --requirepass}; this connection stays authenticated.
   */
  public void requirePassword(String password) {
    connection.sync().configSet("requirepass", password);
  }

  /** Resets INFO commandstats. */
  public void resetStats() {
    connection.sync().configResetstat();
  }

  public static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
