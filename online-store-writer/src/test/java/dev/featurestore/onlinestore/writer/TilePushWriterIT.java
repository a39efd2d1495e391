/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import static dev.featurestore.onlinestore.writer.TileScriptIT.field;
import static dev.featurestore.onlinestore.writer.TileScriptIT.marker;
import static dev.featurestore.onlinestore.writer.TileScriptIT.newKey;
import static dev.featurestore.onlinestore.writer.TileScriptIT.tile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The push's compare-and-set of tiles on every Redis at hand ({@link NewerWinsScriptIT#servers}): a
 * merge that reads what is stored, no lost update under concurrent pushes, a materialization that
 * writes between the read and the write, a plain value in the way, trimming and expiry. Values are
 * hand-made: 8 bytes of {@code through} and a marker, merged by appending.
 */
class TilePushWriterIT {
  private static final long HOUR = 3_600_000_000L;
  private static final long LIFETIME = 25 * HOUR; // a 24h longest window + H

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

  private static long through(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }

  /** Appends {@code marker} to what is stored, keeping its {@code through}. */
  private static TilePushWriter.Merge append(String marker) {
    return (index, stored) ->
        stored == null
            ? tile(Long.MIN_VALUE, marker)
            : tile(through(stored), marker(stored) + marker);
  }

  private static TilePushWriter writer(NewerWinsScriptIT.Server server, int attempts) {
    return new TilePushWriter(server.shared(), Long.MIN_VALUE / 2, HOUR, LIFETIME, attempts);
  }

  private static long nowTile() {
    return System.currentTimeMillis() * 1000 / HOUR;
  }

  @ParameterizedTest
  @MethodSource("servers")
  void mergesIntoWhatIsStoredAndKeepsItsThrough(NewerWinsScriptIT.Server server) throws Exception {
    long t = nowTile();
    byte[] key = newKey();
    TilePushWriter.Result first =
        writer(server, 4)
            .write(
                List.of(
                    new TilePushWriter.Entity(
                        key, new byte[][] {field(t), field(t - 1)}, append("a"))));
    assertThat(first.written()).isEqualTo(2);
    assertThat(first.retried()).isZero(); // nothing was stored: one round trip
    server.sync().hset(key, field(t), tile(500, "m"));

    TilePushWriter.Result second =
        writer(server, 4)
            .write(List.of(new TilePushWriter.Entity(key, new byte[][] {field(t)}, append("b"))));

    assertThat(second.written()).isEqualTo(1);
    assertThat(second.retried()).isEqualTo(1); // expected nothing, found "m": merged again
    byte[] stored = server.sync().hget(key, field(t));
    assertThat(marker(stored)).isEqualTo("mb");
    assertThat(through(stored)).isEqualTo(500);
    assertThat(marker(server.sync().hget(key, field(t - 1)))).isEqualTo("a");
  }

  /** 8 threads x 25 pushes of one marker each into one tile: every marker is there once. */
  @ParameterizedTest
  @MethodSource("servers")
  void concurrentPushesLoseNoUpdate(NewerWinsScriptIT.Server server) throws Exception {
    long t = nowTile();
    byte[] key = newKey();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> retries = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        String marker = Character.toString('a' + thread);
        retries.add(
            pool.submit(
                () -> {
                  long retried = 0;
                  for (int i = 0; i < 25; i++) {
                    retried +=
                        writer(server, 1000)
                            .write(
                                List.of(
                                    new TilePushWriter.Entity(
                                        key, new byte[][] {field(t)}, append(marker))))
                            .retried();
                  }
                  return retried;
                }));
      }
      for (Future<Long> f : retries) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    String merged = marker(server.sync().hget(key, field(t)));
    assertThat(merged).hasSize(200);
    for (int thread = 0; thread < 8; thread++) {
      char marker = (char) ('a' + thread);
      assertThat(merged.chars().filter(c -> c == marker).count()).isEqualTo(25);
    }
  }

  /**
   * A materialization writes the tile after the push read it: the push's write is refused and it
   * merges into the materialized tile; with no attempt left it fails, and what the other writer
   * wrote stays.
   */
  @ParameterizedTest
  @MethodSource("servers")
  void aTileWrittenBetweenTheReadAndTheWriteIsMergedNotOverwritten(NewerWinsScriptIT.Server server)
      throws Exception {
    long t = nowTile();
    byte[] key = newKey();
    server.sync().hset(key, field(t), tile(100, "old"));
    AtomicInteger calls = new AtomicInteger();
    TilePushWriter.Merge racing =
        (index, stored) -> {
          if (calls.incrementAndGet() == 2) {
            // After the push read "old" (its second merge), a materialization through 200 lands.
            try (TileWriter materialization =
                new TileWriter(server.shared(), Long.MIN_VALUE / 2, HOUR, LIFETIME, 16, 8, 64)) {
              materialization.write(key, field(t), tile(200, "new"));
              materialization.finish();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
          return append("p").merge(index, stored);
        };

    TilePushWriter.Result result =
        writer(server, 5)
            .write(List.of(new TilePushWriter.Entity(key, new byte[][] {field(t)}, racing)));

    assertThat(result.retried()).isEqualTo(2);
    byte[] stored = server.sync().hget(key, field(t));
    assertThat(marker(stored)).isEqualTo("newp");
    assertThat(through(stored)).isEqualTo(200);

    TilePushWriter.Merge alwaysRacing =
        (index, s) -> {
          server.sync().hset(key, field(t), tile(300, "race" + calls.incrementAndGet()));
          return append("lost").merge(index, s);
        };
    assertThatThrownBy(
            () ->
                writer(server, 3)
                    .write(
                        List.of(
                            new TilePushWriter.Entity(key, new byte[][] {field(t)}, alwaysRacing))))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("changed under the write 3 times in a row")
        .extracting(e -> ((FeatureStoreException) e).errorCode())
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(marker(server.sync().hget(key, field(t)))).startsWith("race");
  }

  @ParameterizedTest
  @MethodSource("servers")
  void replacesAPlainValueTrimsOldTilesAndSetsTheRemovalTime(NewerWinsScriptIT.Server server)
      throws Exception {
    long now = System.currentTimeMillis() * 1000;
    long t = now / HOUR;
    byte[] key = newKey();
    server.sync().set(key, "a plain view's value".getBytes(StandardCharsets.UTF_8));
    byte[][] fields = {field(t), field(t - 30)}; // t - 30: older than t - LIFETIME / H = t - 25

    TilePushWriter.Result result =
        writer(server, 4).write(List.of(new TilePushWriter.Entity(key, fields, append("x"))));

    assertThat(result.written()).isEqualTo(2);
    assertThat(result.trimmed()).isEqualTo(1);
    assertThat(server.sync().type(key)).isEqualTo("hash");
    assertThat(server.sync().hkeys(key))
        .extracting(b -> new String(b, StandardCharsets.US_ASCII))
        .containsExactly(Long.toString(t));
    long expected = ((t + 1) * HOUR + LIFETIME) / 1000;
    assertThat(server.sync().pttl(key))
        .isBetween(expected - System.currentTimeMillis() - 5_000, expected - now / 1000);
  }
}
