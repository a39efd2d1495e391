/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.materializer.TestSupport.micros;
import static dev.featurestore.materializer.TestSupport.stored;
import static dev.featurestore.registry.testing.TestDefinitions.driverStats;
import static dev.featurestore.registry.testing.TestDefinitions.driverStatsFeatures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineValueCodec.DecodedValue;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MaterializerIT {
  private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
  private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");

  @TempDir Path dir;

  @Test
  void writesTheLatestValuePerKeyAndCountsWhatItSkipped() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            // driver 1: the 10:00 row is the latest.
            driverRow(1L, "2026-11-20T08:00:00Z", "2026-11-20T08:00:00Z", 0.1, 10L),
            driverRow(1L, "2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z", 0.3, 30L),
            driverRow(1L, "2026-11-20T09:00:00Z", "2026-11-20T11:00:00Z", 0.2, 20L),
            // driver 2: equal event timestamps, the later created wins.
            driverRow(2L, "2026-11-20T12:00:00Z", "2026-11-20T12:00:00Z", 0.5, 50L),
            driverRow(2L, "2026-11-20T12:00:00Z", "2026-11-20T13:00:00Z", 0.6, 60L),
            driverRow(2L, "2026-11-20T12:00:00Z", null, 0.4, 40L),
            // driver 3: only a row after the window, and one inside it with null features.
            driverRow(3L, "2026-11-21T00:00:01Z", "2026-11-21T00:00:01Z", 0.9, 90L),
            driverRow(3L, "2026-11-20T23:59:59Z", null, null, null),
            // driver 4: only a row before the window.
            driverRow(4L, "2026-11-19T23:59:59Z", null, 0.7, 70L),
            // null keys: skipped and counted.
            driverRow(null, "2026-11-20T01:00:00Z", null, 0.8, 80L),
            driverRow(null, "2026-11-20T02:00:00Z", null, 0.8, 80L),
            // driver 5: exactly on both window ends (inclusive); the end one wins.
            driverRow(5L, "2026-11-20T00:00:00Z", null, 1.0, 1L),
            driverRow(5L, "2026-11-21T00:00:00Z", null, 2.0, 2L)));
    Definitions definitions = TestDefinitions.driverProject(project, parquet, view);

    List<ViewSummary> summaries =
        TestSupport.materializer(definitions).materialize(List.of(), START, END);

    assertThat(summaries).hasSize(1);
    ViewSummary summary = summaries.get(0);
    assertThat(summary.view()).isEqualTo("driver_stats");
    assertThat(summary.rowsRead()).isEqualTo(11);
    assertThat(summary.nullKeyRows()).isEqualTo(2);
    assertThat(summary.keysWritten()).isEqualTo(4);
    assertThat(summary.keysNotNewer()).isZero();
    assertThat(summary.expiredSkipped()).isZero();

    assertValue(
        stored(project, view, 1),
        "2026-11-20T10:00:00Z",
        OptionalLong.of(micros("2026-11-20T10:00:00Z")),
        0.3,
        30L);
    assertValue(
        stored(project, view, 2),
        "2026-11-20T12:00:00Z",
        OptionalLong.of(micros("2026-11-20T13:00:00Z")),
        0.6,
        60L);
    assertValue(stored(project, view, 3), "2026-11-20T23:59:59Z", OptionalLong.empty(), null, null);
    assertThat(stored(project, view, 4)).isNull();
    assertValue(stored(project, view, 5), "2026-11-21T00:00:00Z", OptionalLong.empty(), 2.0, 2L);
  }

  /**
   * One row per key in the window: dedupe=auto learns it from the repeat check and writes the rows
   * as read (no shuffle); dedupe=shuffle repartitions and sorts. Same values, same counts.
   */
  @ParameterizedTest
  @EnumSource(MaterializerOptions.Dedupe.class)
  void writesTheSameWithOrWithoutTheShuffleWhenEveryKeyHasOneRow(
      MaterializerOptions.Dedupe dedupe) {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            driverRow(1L, "2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z", 0.1, 10L),
            driverRow(2L, "2026-11-20T11:00:00Z", null, 0.2, null),
            driverRow(3L, "2026-11-20T12:00:00Z", null, null, 30L),
            driverRow(null, "2026-11-20T13:00:00Z", null, 0.4, 40L),
            // Outside the window: driver 1 again, not read.
            driverRow(1L, "2026-11-21T10:00:00Z", null, 0.5, 50L)));
    Materializer materializer =
        new Materializer(
            TestSupport.spark(),
            TestDefinitions.driverProject(project, parquet, view),
            TestSupport.redisConfig(),
            p -> p,
            MaterializerOptions.fromMap(
                Map.of(MaterializerOptions.DEDUPE, dedupe.name().toLowerCase(Locale.ROOT))),
            null);

    ViewSummary first = materializer.materialize(List.of(), START, END).get(0);
    ViewSummary again = materializer.materialize(List.of(), START, END).get(0);

    for (ViewSummary summary : List.of(first, again)) {
      assertThat(summary.rowsRead()).isEqualTo(4);
      assertThat(summary.nullKeyRows()).isEqualTo(1);
      // The same values again are not older: they land (no-ops).
      assertThat(summary.keysWritten()).isEqualTo(3);
      assertThat(summary.keysNotNewer()).isZero();
    }
    assertValue(
        stored(project, view, 1),
        "2026-11-20T10:00:00Z",
        OptionalLong.of(micros("2026-11-20T10:30:00Z")),
        0.1,
        10L);
    assertValue(stored(project, view, 2), "2026-11-20T11:00:00Z", OptionalLong.empty(), 0.2, null);
    assertValue(stored(project, view, 3), "2026-11-20T12:00:00Z", OptionalLong.empty(), null, 30L);
  }

  @Test
  void neverRegressesAValueUnderReRunsAndOutOfOrderWindows() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            driverRow(1L, "2026-11-20T10:00:00Z", null, 0.1, 1L),
            driverRow(1L, "2026-11-21T10:00:00Z", null, 0.2, 2L),
            driverRow(2L, "2026-11-20T11:00:00Z", null, 0.3, 3L)));
    Materializer materializer =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, view));
    Instant day2 = Instant.parse("2026-11-21T00:00:00Z");
    Instant day3 = Instant.parse("2026-11-22T00:00:00Z");

    ViewSummary later = materializer.materialize(List.of("driver_stats"), day2, day3).get(0);
    ViewSummary earlier = materializer.materialize(List.of("driver_stats"), START, day2).get(0);
    ViewSummary again = materializer.materialize(List.of("driver_stats"), day2, day3).get(0);

    assertThat(later.keysWritten()).isEqualTo(1);
    // Driver 1's day-1 value is older than what Redis holds: refused. Driver 2 is new.
    assertThat(earlier.keysWritten()).isEqualTo(1);
    assertThat(earlier.keysNotNewer()).isEqualTo(1);
    // The same value again is not older: it lands (a no-op), nothing regresses.
    assertThat(again.keysWritten()).isEqualTo(1);
    assertThat(again.keysNotNewer()).isZero();
    assertValue(stored(project, view, 1), "2026-11-21T10:00:00Z", OptionalLong.empty(), 0.2, 2L);
    assertValue(stored(project, view, 2), "2026-11-20T11:00:00Z", OptionalLong.empty(), 0.3, 3L);
  }

  @Test
  void concurrentMaterializationsKeepTheNewestValue() throws Exception {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (long id = 0; id < 2_000; id++) {
      rows.add(driverRow(id, "2026-11-20T10:00:00Z", null, 1.0, id));
      rows.add(driverRow(id, "2026-11-21T10:00:00Z", null, 2.0, id));
    }
    TestSupport.writeParquet(parquet, TestSupport.DRIVER_SCHEMA, rows);
    Materializer materializer =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, view));
    Instant day2 = Instant.parse("2026-11-21T00:00:00Z");
    Instant day3 = Instant.parse("2026-11-22T00:00:00Z");

    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var older = pool.submit(() -> materializer.materialize(List.of(), START, day2).get(0));
      var newer = pool.submit(() -> materializer.materialize(List.of(), day2, day3).get(0));
      ViewSummary olderSummary = older.get();
      ViewSummary newerSummary = newer.get();
      assertThat(newerSummary.keysWritten()).isEqualTo(2_000);
      assertThat(olderSummary.keysWritten() + olderSummary.keysNotNewer()).isEqualTo(2_000);
    } finally {
      pool.shutdown();
    }
    for (long id = 0; id < 2_000; id += 97) {
      assertValue(stored(project, view, id), "2026-11-21T10:00:00Z", OptionalLong.empty(), 2.0, id);
    }
  }

  @Test
  void refusesOfflineViewsAndSuggestsTheClosestName() {
    String project = TestDefinitions.uniqueProject();
    FeatureView online = driverStats(Duration.ZERO, driverStatsFeatures());
    FeatureView offline =
        TestDefinitions.view(
            "driver_history",
            List.of("driver"),
            "driver_source",
            Duration.ZERO,
            false,
            driverStatsFeatures());
    Materializer materializer =
        TestSupport.materializer(
            TestDefinitions.driverProject(project, dir.resolve("none"), online, offline));

    assertThatThrownBy(() -> materializer.materialize(List.of("driver_history"), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot materialize feature view 'driver_history': it is not online (online: false);"
                + " set online: true in its definition and apply, or leave it out of --views");
    assertThatThrownBy(() -> materializer.materialize(List.of("driver_stat"), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot materialize feature view 'driver_stat': no such view in project '"
                + project
                + "' (did you mean 'driver_stats'?)");
    assertThatThrownBy(() -> materializer.materialize(List.of(), END, START))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot materialize: start 2026-11-21T00:00:00Z is after end 2026-11-20T00:00:00Z");
  }

  @Test
  void reportsAMissingOrMistypedSourceColumn() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view =
        driverStats(
            Duration.ZERO,
            List.of(
                Feature.of("conv_rate", ValueType.FLOAT64), Feature.of("trip", ValueType.INT64)));
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(driverRow(1L, "2026-11-20T10:00:00Z", null, 0.1, 1L)));
    Materializer missing =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, view));

    assertThatThrownBy(() -> missing.materialize(List.of(), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot materialize feature view 'driver_stats': source 'driver_source' ("
                + parquet
                + ") has no column 'trip' for feature 'trip' of feature view 'driver_stats' (did"
                + " you mean 'trips'?). The source no longer matches the view: fix the data or the"
                + " definition and apply again");

    FeatureView mistyped =
        driverStats(Duration.ZERO, List.of(Feature.of("conv_rate", ValueType.STRING)));
    Materializer wrongType =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, mistyped));
    assertThatThrownBy(() -> wrongType.materialize(List.of(), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot materialize feature view 'driver_stats': column 'conv_rate' of source"
                + " 'driver_source' ("
                + parquet
                + ") is float64 but feature 'conv_rate' of feature view 'driver_stats' is string."
                + " The source no longer matches the view: fix the data or the definition and"
                + " apply again");
  }

  /** The rides definitions of driver_hourly_stats, as the plan and training-set tests use them. */
  private static Definitions hourlyStats(String project, FeatureView view) {
    return new Definitions(
        project,
        List.of(new Entity("driver", List.of(new JoinKey("driver_id", ValueType.INT64)), "")),
        List.of(
            new ParquetSource(
                "driver_hourly_stats_src",
                "data/driver_hourly_stats",
                "event_timestamp",
                Optional.empty(),
                "")),
        List.of(view),
        List.of());
  }

  @Test
  void readsAnInt32ColumnAsAnInt64FeatureAndRejectsADecimalAsPlanDoes() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view =
        new FeatureView(
            "driver_hourly_stats",
            List.of("driver"),
            "driver_hourly_stats_src",
            Duration.ZERO,
            true,
            List.of(
                Feature.of("conv_rate", ValueType.FLOAT64),
                Feature.of("avg_daily_trips", ValueType.INT64)),
            Map.of(),
            "");
    Path parquet = dir.resolve("data/driver_hourly_stats");
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType)
            .add("conv_rate", DataTypes.DoubleType)
            .add("avg_daily_trips", DataTypes.IntegerType);
    TestSupport.writeParquet(
        parquet,
        schema,
        List.of(
            RowFactory.create(
                1L,
                Timestamp.from(Instant.parse("2026-11-20T10:00:00Z")),
                0.5,
                Integer.MAX_VALUE)));
    Materializer materializer =
        new Materializer(
            TestSupport.spark(),
            hourlyStats(project, view),
            TestSupport.redisConfig(),
            p -> dir.resolve(p).toString(),
            MaterializerOptions.defaults(),
            null);

    assertThat(materializer.materialize(List.of(), START, END).get(0).keysWritten()).isEqualTo(1);
    assertThat(TestSupport.stored(project, view, 1L).values())
        .containsExactly(0.5, (long) Integer.MAX_VALUE);

    TestSupport.writeParquet(
        parquet,
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType)
            .add("conv_rate", DataTypes.createDecimalType(10, 2))
            .add("avg_daily_trips", DataTypes.IntegerType),
        List.of(
            RowFactory.create(
                1L,
                Timestamp.from(Instant.parse("2026-11-20T10:00:00Z")),
                new java.math.BigDecimal("0.50"),
                7)));
    assertThatThrownBy(() -> materializer.materialize(List.of(), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot materialize feature view 'driver_hourly_stats': column 'conv_rate' of source"
                + " 'driver_hourly_stats_src' (data/driver_hourly_stats) is decimal(10,2) but"
                + " feature 'conv_rate' of feature view 'driver_hourly_stats' is float64: decimals"
                + " are not converted; write the column as float64, or as int64 for whole numbers."
                + " The source no longer matches the view: fix the data or the definition and"
                + " apply again");
  }

  @Test
  void reportsAMissingSource() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path missing = dir.resolve("no-such-folder");
    Materializer materializer =
        TestSupport.materializer(TestDefinitions.driverProject(project, missing, view));

    assertThatThrownBy(() -> materializer.materialize(List.of(), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot materialize feature view 'driver_stats': cannot read source 'driver_source' at "
                + missing
                + ": ")
        .hasMessageContaining("no-such-folder");
  }

  @Test
  void setsTheRemovalTimePerViewAndSkipsValuesAlreadyPastIt() {
    String project = TestDefinitions.uniqueProject();
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    FeatureView hourly = driverStats(Duration.ofHours(1), driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            // Served until event + 1h, removed at event + 1h + 1h (grace = ttl).
            driverRow(1L, now.minus(Duration.ofMinutes(30)).toString(), null, 0.1, 1L),
            // No longer served but inside the grace: written, removed in 30 minutes.
            driverRow(2L, now.minus(Duration.ofMinutes(90)).toString(), null, 0.2, 2L),
            // Past its removal time: not written.
            driverRow(3L, now.minus(Duration.ofHours(3)).toString(), null, 0.3, 3L)));
    Definitions definitions = TestDefinitions.driverProject(project, parquet, hourly);
    Instant start = now.minus(Duration.ofDays(1));

    ViewSummary summary =
        TestSupport.materializer(definitions).materialize(List.of(), start, now).get(0);

    assertThat(summary.keysWritten()).isEqualTo(2);
    assertThat(summary.expiredSkipped()).isEqualTo(1);
    long now1 = System.currentTimeMillis();
    assertPttl(TestSupport.key(project, hourly, 1), now.plus(Duration.ofMinutes(90)), now1);
    assertPttl(TestSupport.key(project, hourly, 2), now.plus(Duration.ofMinutes(30)), now1);
    assertThat(TestSupport.redis().exists(TestSupport.key(project, hourly, 3))).isZero();

    // A zero grace removes values as soon as they stop being served.
    Materializer noGrace =
        new Materializer(
            TestSupport.spark(),
            definitions,
            TestSupport.redisConfig(),
            p -> p,
            MaterializerOptions.defaults().withExpiryGrace(Duration.ZERO),
            null);
    TestSupport.redis().del(TestSupport.key(project, hourly, 1));
    ViewSummary strict = noGrace.materialize(List.of(), start, now).get(0);
    assertThat(strict.keysWritten()).isEqualTo(1);
    assertThat(strict.expiredSkipped()).isEqualTo(2);
    assertPttl(
        TestSupport.key(project, hourly, 1),
        now.plus(Duration.ofMinutes(30)),
        System.currentTimeMillis());

    // Without a TTL a value never expires, and a write clears an earlier TTL.
    FeatureView forever = driverStats(Duration.ZERO, driverStatsFeatures());
    TestSupport.materializer(TestDefinitions.driverProject(project, parquet, forever))
        .materialize(List.of(), start, now);
    assertThat(TestSupport.redis().pttl(TestSupport.key(project, forever, 1))).isEqualTo(-1);
    assertThat(TestSupport.redis().pttl(TestSupport.key(project, forever, 3))).isEqualTo(-1);
  }

  private static void assertPttl(byte[] key, Instant expireAt, long nowMillis) {
    // PTTL, not PEXPIRETIME: the embedded Redis is 6.2.
    long expected = expireAt.toEpochMilli() - nowMillis;
    assertThat(TestSupport.redis().pttl(key)).isBetween(expected - 120_000, expected + 1_000);
  }

  static void assertValue(
      DecodedValue value, String event, OptionalLong created, Object... features) {
    assertThat(value).isNotNull();
    assertThat(value.eventMicros()).isEqualTo(micros(event));
    assertThat(value.createdMicros()).isEqualTo(created);
    assertThat(value.values()).isEqualTo(Arrays.asList(features));
  }
}
