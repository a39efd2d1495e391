/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One view's writes as the materializer and a push make them: keys, values, removal times. */
class ViewWriterIT {
  private static final List<JoinKey> KEYS = List.of(new JoinKey("driver_id", ValueType.INT64));
  private static final String PROJECT = "view_writer_" + System.nanoTime();
  private static RedisClient client;
  private static RedisCommands<byte[], byte[]> redis;
  private static RedisConfig target;

  @BeforeAll
  static void connect() {
    String uri = RedisFixture.shared().uri();
    target = RedisConfig.standalone(uri);
    client = RedisClient.create();
    redis = client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(uri)).sync();
  }

  @AfterAll
  static void close() {
    RedisConnections.evict(target);
    client.shutdown();
  }

  private static FeatureView view(String name, Duration ttl) {
    return new FeatureView(
        name,
        List.of("driver"),
        "s",
        ttl,
        true,
        List.of(Feature.of("x", ValueType.FLOAT64)),
        Map.of(),
        "");
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
  }

  @Test
  void writesTheRegistrysKeyAndValueWithTheViewsRemovalTime() throws Exception {
    FeatureView view = view("hourly", Duration.ofHours(1));
    Instant now = Instant.now();
    Instant event = now.minus(Duration.ofMinutes(30));
    Instant expired = now.minus(Duration.ofHours(3));
    ViewWriter viewWriter =
        new ViewWriter(PROJECT, view, KEYS, Duration.ofHours(1), now.toEpochMilli());
    NewerWinsWriter writer = new NewerWinsWriter(RedisConnections.get(target), 16, 4, 16);

    byte[] value = viewWriter.encode(List.of(0.5), micros(event), OptionalLong.empty());
    boolean written =
        viewWriter.write(writer, viewWriter.entityKey(List.of(7L)), value, micros(event));
    boolean skipped =
        viewWriter.write(
            writer,
            viewWriter.entityKey(List.of(8L)),
            viewWriter.encode(List.of(0.1), micros(expired), OptionalLong.empty()),
            micros(expired));
    writer.finish();

    byte[] key = OnlineKeys.key(PROJECT, "hourly", KEYS, List.of(7L));
    assertThat(written).isTrue();
    assertThat(skipped).isFalse();
    assertThat(writer.written()).isEqualTo(1);
    assertThat(redis.get(key)).isEqualTo(value);
    assertThat(
            new OnlineValueCodec(PROJECT, view)
                .decode(redis.get(key), f -> Optional.empty())
                .values())
        .containsExactly(0.5);
    // Removed at event + ttl + grace = event + 2 h, 1.5 h from now (PTTL: Redis 6.2 has no
    // PEXPIRETIME); the test's own time since "now" is the tolerance.
    long expected = event.toEpochMilli() + Duration.ofHours(2).toMillis() - now.toEpochMilli();
    assertThat(redis.pttl(key)).isBetween(expected - 60_000, expected);
    assertThat(redis.exists(OnlineKeys.key(PROJECT, "hourly", KEYS, List.of(8L)))).isZero();
  }

  @Test
  void writesAViewWithoutTtlWithoutExpiry() throws Exception {
    FeatureView view = view("forever", Duration.ZERO);
    ViewWriter viewWriter =
        new ViewWriter(PROJECT, view, KEYS, Duration.ZERO, System.currentTimeMillis());
    NewerWinsWriter writer = new NewerWinsWriter(RedisConnections.get(target), 16, 4, 16);

    viewWriter.write(
        writer,
        viewWriter.entityKey(List.of(1L)),
        viewWriter.encode(List.of(1.0), 0, OptionalLong.empty()),
        0);
    writer.finish();

    assertThat(redis.pttl(OnlineKeys.key(PROJECT, "forever", KEYS, List.of(1L)))).isEqualTo(-1);
  }
}
