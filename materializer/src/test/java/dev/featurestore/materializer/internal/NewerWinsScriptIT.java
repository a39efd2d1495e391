/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.online.OnlineValueCodec;
import dev.featurestore.registry.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Lua newer-wins rule, value by value, against a real Redis. */
class NewerWinsScriptIT {
  private static final FeatureView VIEW =
      new FeatureView(
          "v",
          List.of("e"),
          "s",
          Duration.ZERO,
          true,
          List.of(Feature.of("x", ValueType.INT64)),
          Map.of(),
          "");
  private static final OnlineValueCodec CODEC = new OnlineValueCodec("script_test", VIEW);
  private static RedisClient client;
  private static RedisCommands<byte[], byte[]> redis;
  private static int keys;

  @BeforeAll
  static void connect() {
    client = RedisClient.create();
    redis =
        client
            .connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()))
            .sync();
  }

  @AfterAll
  static void close() {
    client.shutdown();
  }

  private static byte[] value(long x, long event, OptionalLong created) {
    return CODEC.encode(List.of(x), event, created);
  }

  /** Writes {@code first} then {@code second} to a fresh key; returns what is stored. */
  private static long writeBoth(byte[] first, byte[] second) throws Exception {
    byte[] key =
        ("newer-wins-" + keys++ + "-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    RedisConnections.Shared shared =
        RedisConnections.get(new RedisTarget(List.of(RedisFixture.shared().uri()), false));
    for (byte[] value : List.of(first, second)) {
      NewerWinsWriter writer = new NewerWinsWriter(shared, 16, 8, 64);
      writer.write(key, value, 0);
      writer.finish();
    }
    return (Long) CODEC.decode(redis.get(key), fp -> java.util.Optional.empty()).values().get(0);
  }

  @Test
  void aNewerEventTimestampWinsWhateverTheOrder() throws Exception {
    assertThat(
            writeBoth(value(1, 1_000, OptionalLong.empty()), value(2, 2_000, OptionalLong.empty())))
        .isEqualTo(2);
    assertThat(
            writeBoth(value(2, 2_000, OptionalLong.empty()), value(1, 1_000, OptionalLong.empty())))
        .isEqualTo(2);
  }

  @Test
  void equalEventTimestampsCompareCreatedTimestamps() throws Exception {
    assertThat(writeBoth(value(1, 5, OptionalLong.of(10)), value(2, 5, OptionalLong.of(9))))
        .isEqualTo(1);
    assertThat(writeBoth(value(1, 5, OptionalLong.of(9)), value(2, 5, OptionalLong.of(10))))
        .isEqualTo(2);
    // A missing created timestamp is the oldest.
    assertThat(writeBoth(value(1, 5, OptionalLong.of(0)), value(2, 5, OptionalLong.empty())))
        .isEqualTo(1);
    // Equal (event, created): not older, so it lands.
    assertThat(writeBoth(value(1, 5, OptionalLong.of(9)), value(2, 5, OptionalLong.of(9))))
        .isEqualTo(2);
  }

  @Test
  void comparesBytesUnsignedAcrossTheEpochAndHighBytes() throws Exception {
    // Before 1970 is older than after (the sign bit is flipped in the header).
    assertThat(writeBoth(value(1, 1, OptionalLong.empty()), value(2, -1, OptionalLong.empty())))
        .isEqualTo(1);
    // 0x80 in a byte is greater than 0x7f (unsigned), whatever Lua's collation says.
    assertThat(
            writeBoth(
                value(1, 0x7fL << 8, OptionalLong.empty()),
                value(2, 0x80L << 8, OptionalLong.empty())))
        .isEqualTo(2);
    assertThat(
            writeBoth(
                value(1, 0x80L << 8, OptionalLong.empty()),
                value(2, 0x7fL << 8, OptionalLong.empty())))
        .isEqualTo(1);
  }

  @Test
  void setsAndClearsTheRemovalTime() throws Exception {
    byte[] key = ("newer-wins-ttl-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    RedisConnections.Shared shared =
        RedisConnections.get(new RedisTarget(List.of(RedisFixture.shared().uri()), false));
    long expireAt = System.currentTimeMillis() + 3_600_000;
    NewerWinsWriter writer = new NewerWinsWriter(shared, 16, 8, 64);
    writer.write(key, value(1, 1, OptionalLong.empty()), expireAt);
    writer.finish();
    assertThat(redis.pttl(key)).isBetween(3_500_000L, 3_600_000L);
    assertThat(writer.written()).isEqualTo(1);

    NewerWinsWriter older = new NewerWinsWriter(shared, 16, 8, 64);
    older.write(key, value(2, 0, OptionalLong.empty()), 0);
    older.finish();
    assertThat(older.notNewer()).isEqualTo(1);
    assertThat(redis.pttl(key)).isBetween(3_500_000L, 3_600_000L);

    NewerWinsWriter forever = new NewerWinsWriter(shared, 16, 8, 64);
    forever.write(key, value(3, 2, OptionalLong.empty()), 0);
    forever.finish();
    assertThat(redis.pttl(key)).isEqualTo(-1);
  }

  @Test
  void reloadsTheScriptWhenRedisForgotIt() throws Exception {
    redis.scriptFlush();
    assertThat(writeBoth(value(1, 1, OptionalLong.empty()), value(2, 2, OptionalLong.empty())))
        .isEqualTo(2);
  }
}
