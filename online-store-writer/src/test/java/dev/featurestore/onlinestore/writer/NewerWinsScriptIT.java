/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Lua newer-wins rule, value by value and batch by batch, against every Redis at hand: the
 * shared fixture (the embedded Redis 6.2 unless configured otherwise) and, when installed, the
 * system's {@code /usr/bin/redis-server} (Debian 12: 7.0).
 */
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
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static final List<Server> SERVERS = new ArrayList<>();
  private static RedisServerProcess systemServer;

  /** One Redis under test. */
  record Server(
      String version, String uri, RedisClient client, RedisCommands<byte[], byte[]> sync) {
    RedisConnections.Shared shared() {
      return RedisConnections.get(RedisConfig.standalone(uri));
    }

    @Override
    public String toString() {
      return "Redis " + version;
    }
  }

  @BeforeAll
  static void connect() {
    SERVERS.add(server(RedisFixture.shared().uri()));
    Optional<Path> system = RedisFixture.systemBinary();
    if (system.isPresent() && !system.get().equals(RedisServerProcess.binary())) {
      systemServer = RedisFixture.startPrivate(system.get(), List.of());
      SERVERS.add(server(systemServer.uri()));
    }
  }

  private static Server server(String uri) {
    RedisClient client = RedisClient.create();
    RedisCommands<byte[], byte[]> sync =
        client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(uri)).sync();
    String info = sync.info("server");
    String version =
        info.lines()
            .filter(l -> l.startsWith("redis_version:"))
            .map(l -> l.substring("redis_version:".length()).trim())
            .findFirst()
            .orElse("?");
    return new Server(version, uri, client, sync);
  }

  static List<Server> servers() {
    return SERVERS;
  }

  @AfterAll
  static void close() {
    for (Server server : SERVERS) {
      RedisConnections.evict(RedisConfig.standalone(server.uri()));
      server.client().shutdown();
    }
    // TileScriptIT connects and closes the same servers in the same JVM after this class.
    SERVERS.clear();
    if (systemServer != null) {
      systemServer.close();
      systemServer = null;
    }
  }

  private static byte[] value(long x, long event, OptionalLong created) {
    return CODEC.encode(List.of(x), event, created);
  }

  private static byte[] newKey() {
    return ("newer-wins-" + KEYS.incrementAndGet() + "-" + System.nanoTime())
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long x(Server server, byte[] key) {
    return (Long) CODEC.decode(server.sync().get(key), fp -> Optional.empty()).values().get(0);
  }

  /** Writes {@code first} then {@code second} to a fresh key; returns what is stored. */
  private static long writeBoth(Server server, byte[] first, byte[] second) throws Exception {
    byte[] key = newKey();
    for (byte[] value : List.of(first, second)) {
      NewerWinsWriter writer = new NewerWinsWriter(server.shared(), 16, 8, 64);
      writer.write(key, value, 0);
      writer.finish();
    }
    return x(server, key);
  }

  @ParameterizedTest
  @MethodSource("servers")
  void aNewerEventTimestampWinsWhateverTheOrder(Server server) throws Exception {
    assertThat(
            writeBoth(
                server,
                value(1, 1_000, OptionalLong.empty()),
                value(2, 2_000, OptionalLong.empty())))
        .isEqualTo(2);
    assertThat(
            writeBoth(
                server,
                value(2, 2_000, OptionalLong.empty()),
                value(1, 1_000, OptionalLong.empty())))
        .isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("servers")
  void equalEventTimestampsCompareCreatedTimestamps(Server server) throws Exception {
    assertThat(writeBoth(server, value(1, 5, OptionalLong.of(10)), value(2, 5, OptionalLong.of(9))))
        .isEqualTo(1);
    assertThat(writeBoth(server, value(1, 5, OptionalLong.of(9)), value(2, 5, OptionalLong.of(10))))
        .isEqualTo(2);
    // A missing created timestamp is the oldest.
    assertThat(
            writeBoth(server, value(1, 5, OptionalLong.of(0)), value(2, 5, OptionalLong.empty())))
        .isEqualTo(1);
    // Equal (event, created): not older, so it lands.
    assertThat(writeBoth(server, value(1, 5, OptionalLong.of(9)), value(2, 5, OptionalLong.of(9))))
        .isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("servers")
  void comparesBytesUnsignedAcrossTheEpochAndHighBytes(Server server) throws Exception {
    // Before 1970 is older than after (the sign bit is flipped in the header).
    assertThat(
            writeBoth(
                server, value(1, 1, OptionalLong.empty()), value(2, -1, OptionalLong.empty())))
        .isEqualTo(1);
    // 0x80 in a byte is greater than 0x7f (unsigned), whatever Lua's collation says.
    assertThat(
            writeBoth(
                server,
                value(1, 0x7fL << 8, OptionalLong.empty()),
                value(2, 0x80L << 8, OptionalLong.empty())))
        .isEqualTo(2);
    assertThat(
            writeBoth(
                server,
                value(1, 0x80L << 8, OptionalLong.empty()),
                value(2, 0x7fL << 8, OptionalLong.empty())))
        .isEqualTo(1);
    // Each of the four 32-bit words decides: differences only in the last byte of the event
    // (word 2) and only in the last byte of the created timestamp (word 4), with 0xff vs 0x00.
    assertThat(
            writeBoth(
                server, value(1, 0xffL, OptionalLong.of(7)), value(2, 0x100L, OptionalLong.of(0))))
        .isEqualTo(2);
    assertThat(
            writeBoth(
                server, value(1, 9, OptionalLong.of(0xffL)), value(2, 9, OptionalLong.of(0x100L))))
        .isEqualTo(2);
    assertThat(
            writeBoth(
                server, value(1, 9, OptionalLong.of(0x100L)), value(2, 9, OptionalLong.of(0xffL))))
        .isEqualTo(1);
    // The high word of the created timestamp (word 3): 2^32 is newer than 2^32 - 1.
    assertThat(
            writeBoth(
                server,
                value(1, 9, OptionalLong.of((1L << 32) - 1)),
                value(2, 9, OptionalLong.of(1L << 32))))
        .isEqualTo(2);
  }

  /**
   * One call holds keys in every state. Expected, by hand: a new key, an older stored value and an
   * identical stored value are written (3); a newer stored value is kept (1 not newer).
   */
  @ParameterizedTest
  @MethodSource("servers")
  void oneBatchMixesNewOlderNewerAndIdenticalKeys(Server server) throws Exception {
    for (long expireAt : new long[] {0, System.currentTimeMillis() + 3_600_000}) {
      byte[] fresh = newKey();
      byte[] older = newKey();
      byte[] newer = newKey();
      byte[] same = newKey();
      server.sync().set(older, value(10, 100, OptionalLong.empty()));
      server.sync().set(newer, value(20, 300, OptionalLong.empty()));
      server.sync().set(same, value(30, 200, OptionalLong.empty()));

      NewerWinsWriter writer = new NewerWinsWriter(server.shared(), 4, 8, 64);
      writer.write(fresh, value(1, 200, OptionalLong.empty()), expireAt);
      writer.write(older, value(2, 200, OptionalLong.empty()), expireAt);
      writer.write(newer, value(3, 200, OptionalLong.empty()), expireAt);
      writer.write(same, value(30, 200, OptionalLong.empty()), expireAt);
      writer.finish();

      assertThat(writer.written()).isEqualTo(3);
      assertThat(writer.notNewer()).isEqualTo(1);
      assertThat(x(server, fresh)).isEqualTo(1);
      assertThat(x(server, older)).isEqualTo(2);
      assertThat(x(server, newer)).isEqualTo(20);
      assertThat(x(server, same)).isEqualTo(30);
      if (expireAt == 0) {
        assertThat(server.sync().pttl(fresh)).isEqualTo(-1);
      } else {
        assertThat(server.sync().pttl(fresh)).isBetween(3_500_000L, 3_600_000L);
        assertThat(server.sync().pttl(same)).isBetween(3_500_000L, 3_600_000L);
      }
      assertThat(server.sync().pttl(newer)).isEqualTo(-1);
    }
  }

  /**
   * A key may appear several times in one call: each value is compared with the one chosen so far.
   * By hand: stored event 250; then 200 (older), 300 (newer), 100 (older) -> 300, 1 written, 2 not
   * newer. A fresh key with 5 then 7 -> 7, 1 written, 1 not newer.
   */
  @ParameterizedTest
  @MethodSource("servers")
  void aKeyRepeatedInOneCallKeepsTheNewestValue(Server server) throws Exception {
    for (long expireAt : new long[] {0, System.currentTimeMillis() + 3_600_000}) {
      byte[] key = newKey();
      byte[] fresh = newKey();
      server.sync().set(key, value(25, 250, OptionalLong.empty()));
      NewerWinsWriter writer = new NewerWinsWriter(server.shared(), 8, 8, 64);
      writer.write(key, value(20, 200, OptionalLong.empty()), expireAt);
      writer.write(fresh, value(5, 5, OptionalLong.empty()), expireAt);
      writer.write(key, value(30, 300, OptionalLong.empty()), expireAt);
      writer.write(key, value(10, 100, OptionalLong.empty()), expireAt);
      writer.write(fresh, value(7, 7, OptionalLong.empty()), expireAt);
      writer.finish();
      assertThat(writer.written()).isEqualTo(2);
      assertThat(writer.notNewer()).isEqualTo(3);
      assertThat(x(server, key)).isEqualTo(30);
      assertThat(x(server, fresh)).isEqualTo(7);
    }
  }

  /** A batch larger than one call and with a call of 1 key left over (2048 + 1 keys). */
  @ParameterizedTest
  @MethodSource("servers")
  void writesTheLargestBatchAndTheRest(Server server) throws Exception {
    List<byte[]> keys = new ArrayList<>();
    NewerWinsWriter writer =
        new NewerWinsWriter(server.shared(), NewerWinsScript.MAX_KEYS_PER_CALL, 1, 4);
    for (int i = 0; i <= NewerWinsScript.MAX_KEYS_PER_CALL; i++) {
      byte[] key = newKey();
      keys.add(key);
      writer.write(key, value(i, 1, OptionalLong.empty()), 0);
    }
    writer.finish();
    assertThat(writer.written()).isEqualTo(NewerWinsScript.MAX_KEYS_PER_CALL + 1);
    assertThat(x(server, keys.get(0))).isZero();
    assertThat(x(server, keys.get(NewerWinsScript.MAX_KEYS_PER_CALL)))
        .isEqualTo(NewerWinsScript.MAX_KEYS_PER_CALL);
  }

  @ParameterizedTest
  @MethodSource("servers")
  void setsAndClearsTheRemovalTime(Server server) throws Exception {
    byte[] key = newKey();
    long expireAt = System.currentTimeMillis() + 3_600_000;
    NewerWinsWriter writer = new NewerWinsWriter(server.shared(), 16, 8, 64);
    writer.write(key, value(1, 1, OptionalLong.empty()), expireAt);
    writer.finish();
    assertThat(server.sync().pttl(key)).isBetween(3_500_000L, 3_600_000L);
    assertThat(writer.written()).isEqualTo(1);

    NewerWinsWriter older = new NewerWinsWriter(server.shared(), 16, 8, 64);
    older.write(key, value(2, 0, OptionalLong.empty()), 0);
    older.finish();
    assertThat(older.notNewer()).isEqualTo(1);
    assertThat(server.sync().pttl(key)).isBetween(3_500_000L, 3_600_000L);

    NewerWinsWriter forever = new NewerWinsWriter(server.shared(), 16, 8, 64);
    forever.write(key, value(3, 2, OptionalLong.empty()), 0);
    forever.finish();
    assertThat(server.sync().pttl(key)).isEqualTo(-1);
  }

  @ParameterizedTest
  @MethodSource("servers")
  void reloadsTheScriptWhenRedisForgotIt(Server server) throws Exception {
    server.sync().scriptFlush();
    assertThat(
            writeBoth(server, value(1, 1, OptionalLong.empty()), value(2, 2, OptionalLong.empty())))
        .isEqualTo(2);
  }
}
