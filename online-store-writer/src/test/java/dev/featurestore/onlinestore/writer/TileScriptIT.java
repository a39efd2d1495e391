/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.config.RedisConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tile script directly on every Redis at hand ({@link NewerWinsScriptIT#servers}: the fixture's
 * Redis 6.2 and, when installed, the system's 7.0): non-regression per tile by {@code through},
 * trimming, expiry that an older run never shortens. Values are hand-made: 8 bytes of {@code
 * through} and a marker; the script reads nothing else.
 */
class TileScriptIT {
  private static final long HOUR = 3_600_000_000L;
  private static final long LIFETIME = 25 * HOUR; // a 24h longest window + H
  private static final AtomicInteger KEYS = new AtomicInteger();

  @BeforeAll
  static void connect() {
    NewerWinsScriptIT.connect();
  }

  @AfterAll
  static void close() {
    NewerWinsScriptIT.close();
  }

  static List<NewerWinsScriptIT.Server> servers() {
    return NewerWinsScriptIT.servers();
  }

  static byte[] tile(long through, String marker) {
    byte[] text = marker.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + text.length).putLong(through).put(text).array();
  }

  static String marker(byte[] value) {
    return new String(value, 8, value.length - 8, StandardCharsets.UTF_8);
  }

  static byte[] newKey() {
    return ("{tiles-" + KEYS.incrementAndGet() + "-" + System.nanoTime() + "}v")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] field(long tile) {
    return Long.toString(tile).getBytes(StandardCharsets.US_ASCII);
  }

  private static TileWriter writer(NewerWinsScriptIT.Server server, long trimBelow) {
    return new TileWriter(server.shared(), trimBelow, HOUR, LIFETIME, 16, 8, 64);
  }

  /** The stored tiles of a key: tile index to marker. */
  private static Map<Long, String> stored(NewerWinsScriptIT.Server server, byte[] key) {
    Map<Long, String> tiles = new TreeMap<>();
    server
        .sync()
        .hgetall(key)
        .forEach(
            (f, v) ->
                tiles.put(Long.parseLong(new String(f, StandardCharsets.US_ASCII)), marker(v)));
    return tiles;
  }

  private static TileWriter writeOne(
      NewerWinsScriptIT.Server server, byte[] key, long tile, long through, String marker)
      throws InterruptedException {
    TileWriter writer = writer(server, Long.MIN_VALUE / 2);
    writer.write(key, field(tile), tile(through, marker));
    writer.finish();
    return writer;
  }

  @ParameterizedTest
  @MethodSource("servers")
  void aTileThroughALaterOrEqualTimeWinsAndAnEarlierOneNever(NewerWinsScriptIT.Server server)
      throws Exception {
    long now = System.currentTimeMillis() * 1000;
    long t = now / HOUR;
    byte[] key = newKey();
    assertThat(writeOne(server, key, t, 200, "a").written()).isEqualTo(1);
    assertThat(writeOne(server, key, t, 100, "older").notNewer()).isEqualTo(1);
    assertThat(stored(server, key)).containsExactly(Map.entry(t, "a"));
    assertThat(writeOne(server, key, t, 200, "same").written()).isEqualTo(1);
    assertThat(writeOne(server, key, t, 300, "b").written()).isEqualTo(1);
    assertThat(stored(server, key)).containsExactly(Map.entry(t, "b"));
  }

  /**
   * {@code through} is compared as a signed 64-bit number: before 1970 is older than after; the low
   * word is unsigned (0x80000000 is greater than 0x7fffffff); the high word decides first.
   */
  @ParameterizedTest
  @MethodSource("servers")
  void comparesThroughAsSigned64BitNumbers(NewerWinsScriptIT.Server server) throws Exception {
    long t = System.currentTimeMillis() * 1000 / HOUR;
    long[][] olderNewer = {
      {-1, 1},
      {Long.MIN_VALUE, -1},
      {0x7fffffffL, 0x80000000L},
      {0xffffffffL, 0x100000000L},
      {(1L << 53) + 1, (1L << 53) + 2},
      {1_800_000_000_000_000L, Long.MAX_VALUE},
    };
    for (long[] pair : olderNewer) {
      byte[] key = newKey();
      writeOne(server, key, t, pair[1], "newer");
      assertThat(writeOne(server, key, t, pair[0], "older").notNewer())
          .as("%d after %d", pair[0], pair[1])
          .isEqualTo(1);
      assertThat(stored(server, key)).containsEntry(t, "newer");
      byte[] other = newKey();
      writeOne(server, other, t, pair[0], "older");
      assertThat(writeOne(server, other, t, pair[1], "newer").written()).isEqualTo(1);
      assertThat(stored(server, other)).containsEntry(t, "newer");
    }
  }

  /**
   * By hand: tiles t-30 .. t stored (trim bound t-26 in the second call); the second call writes t
   * and deletes t-30 .. t-27 (4 fields); t-26 stays.
   */
  @ParameterizedTest
  @MethodSource("servers")
  void trimsTilesBelowTheBoundAndKeepsTheRest(NewerWinsScriptIT.Server server) throws Exception {
    long t = System.currentTimeMillis() * 1000 / HOUR;
    byte[] key = newKey();
    // The bound given (t - 40) is below what the newest tile allows (t - LIFETIME / H = t - 25):
    // the higher one trims.
    TileWriter first = writer(server, t - 40);
    for (long i = t - 30; i <= t; i++) {
      first.write(key, field(i), tile(10, "x" + i));
    }
    first.finish();
    assertThat(first.written()).isEqualTo(31);
    assertThat(first.trimmed()).isEqualTo(5);

    // A bound above it (t - 20) trims to it.
    TileWriter second = writer(server, t - 20);
    second.write(key, field(t), tile(20, "new"));
    second.finish();

    assertThat(second.trimmed()).isEqualTo(5);
    Map<Long, String> tiles = stored(server, key);
    assertThat(tiles).hasSize(21).containsEntry(t, "new").containsKey(t - 20);
    assertThat(tiles.keySet()).allMatch(i -> i >= t - 20);

    // An older backfill cannot bring back a tile no window as of the newest tile reaches.
    TileWriter older = writer(server, t - 60);
    older.write(key, field(t - 50), tile(30, "old"));
    older.finish();
    assertThat(stored(server, key)).doesNotContainKey(t - 50).hasSize(21);
  }

  /**
   * The removal time is the newest tile's end + lifetime: (t + 1) * H + 25 h. Writing an older tile
   * afterwards (an older backfill) keeps it; writing a newer tile moves it on.
   */
  @ParameterizedTest
  @MethodSource("servers")
  void expiresAtTheNewestTilesEndPlusTheLifetimeNeverShortened(NewerWinsScriptIT.Server server)
      throws Exception {
    long now = System.currentTimeMillis() * 1000;
    long t = now / HOUR;
    byte[] key = newKey();
    writeOne(server, key, t, 10, "head");
    long expected = ((t + 1) * HOUR + LIFETIME) / 1000;
    assertThat(server.sync().pttl(key))
        .isBetween(expected - System.currentTimeMillis() - 5_000, expected - now / 1000);

    writeOne(server, key, t - 5, 5, "older tile");
    assertThat(server.sync().pttl(key))
        .isBetween(expected - System.currentTimeMillis() - 5_000, expected - now / 1000);

    writeOne(server, key, t + 1, 20, "next");
    long later = ((t + 2) * HOUR + LIFETIME) / 1000;
    assertThat(server.sync().pttl(key))
        .isBetween(later - System.currentTimeMillis() - 5_000, later - now / 1000);
  }

  /** A tile whose key's removal time has passed is removed at once: nothing is ever served. */
  @ParameterizedTest
  @MethodSource("servers")
  void aKeyOfOnlyLongExpiredTilesIsRemoved(NewerWinsScriptIT.Server server) throws Exception {
    long t = System.currentTimeMillis() * 1000 / HOUR - 100;
    byte[] key = newKey();
    writeOne(server, key, t, 10, "old");
    assertThat(server.sync().exists(key)).isZero();
  }

  /** The value of the view before it became aggregated (a string at the same key) is replaced. */
  @ParameterizedTest
  @MethodSource("servers")
  void replacesAValueThatIsNotAHash(NewerWinsScriptIT.Server server) throws Exception {
    long t = System.currentTimeMillis() * 1000 / HOUR;
    byte[] key = newKey();
    server.sync().set(key, "plain view value".getBytes(StandardCharsets.UTF_8));
    writeOne(server, key, t, 10, "tile");
    assertThat(stored(server, key)).containsExactly(Map.entry(t, "tile"));
  }

  /**
   * Many keys and a key split across calls (3 fields per call), a field repeated in one call (the
   * later through wins within the call), and the script reloaded after a SCRIPT FLUSH.
   */
  @ParameterizedTest
  @MethodSource("servers")
  void batchesKeysAcrossCallsAndReloadsTheScript(NewerWinsScriptIT.Server server) throws Exception {
    server.sync().scriptFlush();
    long t = System.currentTimeMillis() * 1000 / HOUR;
    List<byte[]> keys = new ArrayList<>();
    TileWriter writer = new TileWriter(server.shared(), t - 100, HOUR, LIFETIME, 3, 1, 2);
    for (int k = 0; k < 10; k++) {
      byte[] key = newKey();
      keys.add(key);
      for (long i = t - 4; i <= t; i++) {
        writer.write(key, field(i), tile(10, k + "/" + i));
      }
    }
    byte[] repeated = newKey();
    writer.write(repeated, field(t), tile(30, "30"));
    writer.write(repeated, field(t), tile(20, "20"));
    writer.write(repeated, field(t), tile(40, "40"));
    writer.finish();

    assertThat(writer.written()).isEqualTo(50 + 2);
    assertThat(writer.notNewer()).isEqualTo(1);
    for (int k = 0; k < 10; k++) {
      Map<Long, String> tiles = stored(server, keys.get(k));
      assertThat(tiles)
          .hasSize(5)
          .containsEntry(t - 4, k + "/" + (t - 4))
          .containsEntry(t, k + "/" + t);
    }
    assertThat(stored(server, repeated)).containsExactly(Map.entry(t, "40"));
    RedisConnections.evict(RedisConfig.standalone(server.uri()));
  }
}
