/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random rows (dense ties, null keys, null created timestamps, null features) materialized in
 * random, overlapping, out-of-order windows; what Redis holds must equal a plain-Java latest-row
 * per key over the union of the windows.
 */
class RandomizedIT {
  private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void redisHoldsTheLatestRowPerKeyOverAllWindows() {
    for (long seed : new long[] {1L, 42L, 4711L}) {
      check(seed);
    }
  }

  private void check(long seed) {
    Random random = new Random(seed);
    String project = TestDefinitions.uniqueProject();
    FeatureView view =
        TestDefinitions.driverStats(Duration.ZERO, TestDefinitions.driverStatsFeatures());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      Long id = random.nextInt(50) == 0 ? null : (long) random.nextInt(400);
      Instant event = BASE.plus(Duration.ofHours(random.nextInt(72)));
      Instant created =
          random.nextInt(4) == 0 ? null : BASE.plus(Duration.ofHours(random.nextInt(3)));
      Double rate = random.nextInt(10) == 0 ? null : (double) random.nextInt(5);
      Long trips = random.nextInt(10) == 0 ? null : (long) random.nextInt(5);
      rows.add(
          RowFactory.create(
              id,
              Timestamp.from(event),
              created == null ? null : Timestamp.from(created),
              rate,
              trips));
    }
    Path parquet = dir.resolve("drivers-" + seed);
    TestSupport.writeParquet(parquet, TestSupport.DRIVER_SCHEMA, rows);
    Materializer materializer =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, view));

    List<Instant[]> windows = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Instant a = BASE.plus(Duration.ofHours(random.nextInt(80) - 4));
      Instant b = BASE.plus(Duration.ofHours(random.nextInt(80) - 4));
      Instant[] window = a.isBefore(b) ? new Instant[] {a, b} : new Instant[] {b, a};
      windows.add(window);
      materializer.materialize(List.of(), window[0], window[1]);
    }

    Map<Long, Row> expected = reference(rows, windows, new OnlineValueCodec(project, view));
    for (long id = 0; id < 400; id++) {
      OnlineValueCodec.DecodedValue actual = TestSupport.stored(project, view, id);
      Row row = expected.get(id);
      if (row == null) {
        assertThat(actual).as("seed %d driver %d", seed, id).isNull();
        continue;
      }
      assertThat(actual).as("seed %d driver %d", seed, id).isNotNull();
      assertThat(actual.eventMicros()).isEqualTo(micros(row.getTimestamp(1)));
      assertThat(actual.createdMicros())
          .isEqualTo(
              row.isNullAt(2)
                  ? OptionalLong.empty()
                  : OptionalLong.of(micros(row.getTimestamp(2))));
      assertThat(actual.values())
          .as("seed %d driver %d", seed, id)
          .isEqualTo(Arrays.asList(row.get(3), row.get(4)));
    }
  }

  /**
   * Latest row per key: greatest (event, created with absent lowest), and among exact ties the
   * greatest encoded value, which is the materializer's documented deterministic tie-break.
   */
  private static Map<Long, Row> reference(
      List<Row> rows, List<Instant[]> windows, OnlineValueCodec codec) {
    Comparator<Row> newest =
        Comparator.<Row>comparingLong(r -> micros(r.getTimestamp(1)))
            .thenComparingLong(r -> r.isNullAt(2) ? Long.MIN_VALUE : micros(r.getTimestamp(2)))
            .thenComparing((a, b) -> Arrays.compareUnsigned(encode(codec, a), encode(codec, b)));
    Map<Long, Row> latest = new HashMap<>();
    for (Row row : rows) {
      if (row.isNullAt(0) || !inAnyWindow(row.getTimestamp(1).toInstant(), windows)) {
        continue;
      }
      latest.merge(row.getLong(0), row, (a, b) -> newest.compare(a, b) >= 0 ? a : b);
    }
    return latest;
  }

  private static byte[] encode(OnlineValueCodec codec, Row row) {
    return codec.encode(
        Arrays.asList(row.get(3), row.get(4)),
        micros(row.getTimestamp(1)),
        row.isNullAt(2) ? OptionalLong.empty() : OptionalLong.of(micros(row.getTimestamp(2))));
  }

  private static boolean inAnyWindow(Instant event, List<Instant[]> windows) {
    return windows.stream().anyMatch(w -> !event.isBefore(w[0]) && !event.isAfter(w[1]));
  }

  private static long micros(Timestamp timestamp) {
    Instant instant = timestamp.toInstant();
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
  }
}
