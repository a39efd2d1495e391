/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static dev.featurestore.offline.Aggregates.aggregatedView;
import static dev.featurestore.offline.Aggregates.aggregation;
import static dev.featurestore.offline.Aggregates.count;
import static dev.featurestore.offline.Aggregates.lastN;
import static dev.featurestore.offline.TestData.T0;
import static dev.featurestore.offline.TestData.at;
import static dev.featurestore.offline.TestData.field;
import static dev.featurestore.offline.TestData.frame;
import static dev.featurestore.offline.TestData.row;
import static dev.featurestore.offline.TestData.schema;
import static dev.featurestore.offline.TestData.writeParquet;
import static dev.featurestore.registry.definition.AggregationFunction.APPROX_COUNT_DISTINCT;
import static dev.featurestore.registry.definition.AggregationFunction.AVG;
import static dev.featurestore.registry.definition.AggregationFunction.COUNT;
import static dev.featurestore.registry.definition.AggregationFunction.LAST;
import static dev.featurestore.registry.definition.AggregationFunction.MAX;
import static dev.featurestore.registry.definition.AggregationFunction.MIN;
import static dev.featurestore.registry.definition.AggregationFunction.STDDEV;
import static dev.featurestore.registry.definition.AggregationFunction.SUM;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-computed windowed aggregations in training sets: every function at the window's edges
 * ({@code floor_H(t) - W <= event_timestamp <= t}), nulls, empty windows, ties of {@code last}, a
 * hot key, composite keys, another time zone, and an aggregated view with a plain view in one
 * request.
 */
class AggregatedViewsIT {
  private static final Duration MICRO = Duration.of(1, ChronoUnit.MICROS);
  private static final List<String> DRIVER_TRIPS = List.of("driver_trips:*");
  private static final long HOT_EVENTS = 200_000;
  private static final long HOT_STEP_MICROS = 10_000_000L; // one event every 10 s

  @TempDir static Path dir;
  private static HistoricalFeatures features;

  @BeforeAll
  static void writeSources() {
    Duration w = ofHours(2);
    Definitions definitions =
        new Definitions(
            "rides",
            List.of(
                entity("driver", key("driver_id", ValueType.INT64)),
                entity("customer", key("customer_id", ValueType.STRING)),
                entity(
                    "route",
                    key("origin", ValueType.STRING),
                    key("destination", ValueType.STRING))),
            List.of(
                source("trips_src", "trips.parquet", "created"),
                source("hot_src", "hot.parquet"),
                source("customer_source", "customer.parquet"),
                source("route_src", "routes.parquet")),
            List.of(
                aggregatedView(
                    "driver_trips",
                    List.of("driver"),
                    "trips_src",
                    ofHours(1),
                    count("trips", w),
                    aggregation("fares", COUNT, "fare", ValueType.FLOAT64, w),
                    aggregation("fare_sum", SUM, "fare", ValueType.FLOAT64, w),
                    aggregation("distance_sum", SUM, "distance", ValueType.INT64, w),
                    aggregation("fare_avg", AVG, "fare", ValueType.FLOAT64, w),
                    aggregation("fare_min", MIN, "fare", ValueType.FLOAT64, w),
                    aggregation("fare_max", MAX, "fare", ValueType.FLOAT64, w),
                    aggregation("fare_std", STDDEV, "fare", ValueType.FLOAT64, w),
                    aggregation("fare_last", LAST, "fare", ValueType.FLOAT64, w),
                    lastN("fares_last3", "fare", ValueType.FLOAT64, 3, w),
                    aggregation("riders", APPROX_COUNT_DISTINCT, "rider_id", ValueType.STRING, w),
                    count("trips_1h", ofHours(1))),
                aggregatedView(
                    "hot_trips",
                    List.of("driver"),
                    "hot_src",
                    ofHours(1),
                    count("hot_trips_2h", w),
                    aggregation("hot_sum_24h", SUM, "amount", ValueType.INT64, ofHours(24))),
                aggregatedView(
                    "route_trips",
                    List.of("route"),
                    "route_src",
                    ofMinutes(30),
                    count("route_trips_1h", ofHours(1)),
                    aggregation("route_last", LAST, "duration", ValueType.INT32, ofHours(1))),
                view(
                    "customer_profile",
                    List.of("customer"),
                    "customer_source",
                    Duration.ZERO,
                    feature("age", ValueType.INT32))),
            List.of());
    StructType trips =
        schema(
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType),
            field("created", DataTypes.TimestampType),
            field("fare", DataTypes.DoubleType),
            field("distance", DataTypes.LongType),
            field("rider_id", DataTypes.StringType));
    writeParquet(
        dir.resolve("trips.parquet"),
        trips,
        // As of t = 5:30 (floor 5:00, W 2h): the window is [3:00, 5:30].
        row(1L, at(ofHours(3).minus(MICRO)), at(ofHours(3)), 100.0, 100L, "r9"), // 1 µs early
        row(1L, at(ofHours(3)), at(ofHours(3)), 1.0, 10L, "r1"), // exactly floor_H(t) - W
        row(1L, at(ofHours(4)), at(ofHours(4)), 2.0, 20L, "r2"),
        row(1L, at(ofMinutes(270)), at(ofMinutes(270)), null, null, "r3"), // null values
        row(1L, at(ofMinutes(330)), at(ofMinutes(330)), 4.0, 40L, "r1"), // exactly t
        row(1L, at(ofMinutes(330).plus(MICRO)), at(ofMinutes(330)), 1000.0, 1000L, "r9"), // late
        row(3L, at(ofHours(1)), at(ofHours(1)), 5.0, 5L, "r1"), // a single value
        // Equal event timestamps: the later created timestamp is the last value.
        row(4L, at(ofHours(1)), at(ofHours(2)), 7.0, 7L, "r1"),
        row(4L, at(ofHours(1)), at(ofHours(1)), 8.0, 8L, "r2"),
        row(null, at(ofHours(5)), at(ofHours(5)), 9.0, 9L, "r1")); // a null key matches nothing
    SparkTestSession.get()
        .range(0, HOT_EVENTS, 1, 4)
        .selectExpr(
            "7L as driver_id",
            "timestamp_micros("
                + micros(T0)
                + " + id * "
                + HOT_STEP_MICROS
                + ") as event_timestamp",
            "id % 10 as amount")
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(dir.resolve("hot.parquet").toString());
    writeParquet(
        dir.resolve("customer.parquet"),
        schema(
            field("customer_id", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType),
            field("age", DataTypes.IntegerType)),
        row("c1", at(ofDays(-1)), 30));
    writeParquet(
        dir.resolve("routes.parquet"),
        schema(
            field("origin", DataTypes.StringType),
            field("destination", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType),
            field("duration", DataTypes.IntegerType)),
        row("A", "B", at(ofMinutes(60)), 10),
        row("A", "B", at(ofMinutes(90)), 11),
        row("A", "C", at(ofMinutes(60)), 12),
        row("B", "A", at(ofMinutes(0)), 13), // outside [1:00, 2:00]
        row("A", null, at(ofMinutes(70)), 14));
    features =
        HistoricalFeatures.of(SparkTestSession.get(), definitions, p -> dir.resolve(p).toUri());
  }

  private static long micros(java.time.Instant instant) {
    return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, instant);
  }

  private static final StructType ENTITIES =
      schema(
          field("name", DataTypes.StringType),
          field("driver_id", DataTypes.LongType),
          field("customer_id", DataTypes.StringType),
          field("event_timestamp", DataTypes.TimestampType));

  private static Dataset<Row> driverRows() {
    return frame(
        ENTITIES,
        row("t", 1L, "c1", at(ofMinutes(330))),
        row("t again", 1L, "c1", at(ofMinutes(330))),
        row("on the hour", 1L, "c1", at(ofHours(5))),
        row("end of the hour", 1L, "c1", at(ofHours(6).minus(MICRO))),
        row("next hour", 1L, "c1", at(ofHours(6))),
        row("no events", 2L, "c1", at(ofHours(5))),
        row("null key", null, "c1", at(ofHours(5))),
        row("null time", 1L, "c1", null),
        row("one value", 3L, "c1", at(ofHours(2))),
        row("tie", 4L, "c1", at(ofHours(1))));
  }

  private static Map<String, Row> byName(Dataset<Row> result) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : result.collectAsList()) {
      rows.put(r.getAs("name"), r);
    }
    return rows;
  }

  @Test
  void computesEveryFunctionAtTheWindowEdges() {
    Dataset<Row> result =
        features.historicalFeatures(driverRows(), DRIVER_TRIPS, TrainingSetOptions.defaults());
    assertThat(result.count()).isEqualTo(10);
    Row t = byName(result).get("t");
    // [3:00, 5:30]: 1.0 (exactly the start), 2.0, a null fare, 4.0 (exactly t); not 100.0 (1 µs
    // before the start) nor 1000.0 (1 µs after t).
    assertThat(t.<Long>getAs("trips")).isEqualTo(4L);
    assertThat(t.<Long>getAs("fares")).isEqualTo(3L);
    assertThat(t.<Double>getAs("fare_sum")).isEqualTo(7.0);
    assertThat(t.<Long>getAs("distance_sum")).isEqualTo(70L);
    assertThat(t.<Double>getAs("fare_avg")).isCloseTo(7.0 / 3, within(1e-12));
    assertThat(t.<Double>getAs("fare_min")).isEqualTo(1.0);
    assertThat(t.<Double>getAs("fare_max")).isEqualTo(4.0);
    assertThat(t.<Double>getAs("fare_std")).isCloseTo(Math.sqrt(7.0 / 3), within(1e-12));
    assertThat(t.<Double>getAs("fare_last")).isEqualTo(4.0);
    assertThat(t.getList(t.fieldIndex("fares_last3"))).containsExactly(4.0, 2.0, 1.0);
    assertThat(t.<Long>getAs("riders")).isEqualTo(3L); // r1, r2, r3
    assertThat(t.<Long>getAs("trips_1h")).isEqualTo(3L); // [4:00, 5:30]
  }

  @Test
  void movesTheWindowTailInStepsOfTheInterval() {
    Map<String, Row> rows =
        byName(
            features.historicalFeatures(driverRows(), DRIVER_TRIPS, TrainingSetOptions.defaults()));
    Row onTheHour = rows.get("on the hour"); // [3:00, 5:00]: 1.0, 2.0, null
    assertThat(onTheHour.<Long>getAs("trips")).isEqualTo(3L);
    assertThat(onTheHour.<Double>getAs("fare_sum")).isEqualTo(3.0);
    assertThat(onTheHour.<Double>getAs("fare_std")).isCloseTo(Math.sqrt(0.5), within(1e-12));
    assertThat(onTheHour.getList(onTheHour.fieldIndex("fares_last3"))).containsExactly(2.0, 1.0);
    assertThat(onTheHour.<Long>getAs("trips_1h")).isEqualTo(2L);
    Row end = rows.get("end of the hour"); // [3:00, 5:59:59.999999]: the late 1000.0 too
    assertThat(end.<Long>getAs("trips")).isEqualTo(5L);
    assertThat(end.<Double>getAs("fare_max")).isEqualTo(1000.0);
    assertThat(end.<Double>getAs("fare_last")).isEqualTo(1000.0);
    assertThat(end.getList(end.fieldIndex("fares_last3"))).containsExactly(1000.0, 4.0, 2.0);
    assertThat(end.<Long>getAs("riders")).isEqualTo(4L);
    Row next = rows.get("next hour"); // [4:00, 6:00]: 3:00 is out
    assertThat(next.<Long>getAs("trips")).isEqualTo(4L);
    assertThat(next.<Double>getAs("fare_min")).isEqualTo(2.0);
    assertThat(next.<Long>getAs("distance_sum")).isEqualTo(1060L);
  }

  @Test
  void givesCountsZeroAndNullsForAnEmptyWindow() {
    Map<String, Row> rows =
        byName(
            features.historicalFeatures(driverRows(), DRIVER_TRIPS, TrainingSetOptions.defaults()));
    for (String name : List.of("no events", "null key", "null time")) {
      Row row = rows.get(name);
      assertThat(row.<Long>getAs("trips")).as(name).isEqualTo(0L);
      assertThat(row.<Long>getAs("fares")).as(name).isEqualTo(0L);
      assertThat(row.<Long>getAs("riders")).as(name).isEqualTo(0L);
      assertThat(row.<Long>getAs("trips_1h")).as(name).isEqualTo(0L);
      for (String nullable :
          List.of(
              "fare_sum",
              "distance_sum",
              "fare_avg",
              "fare_min",
              "fare_max",
              "fare_std",
              "fare_last",
              "fares_last3")) {
        assertThat(row.isNullAt(row.fieldIndex(nullable))).as(name + " " + nullable).isTrue();
      }
    }
    Row one = rows.get("one value");
    assertThat(one.<Long>getAs("trips")).isEqualTo(1L);
    assertThat(one.<Double>getAs("fare_avg")).isEqualTo(5.0);
    assertThat(one.isNullAt(one.fieldIndex("fare_std"))).isTrue(); // below 2 values
    assertThat(one.getList(one.fieldIndex("fares_last3"))).containsExactly(5.0);
  }

  @Test
  void breaksTiesOfLastByCreatedTimestamp() {
    Row tie =
        byName(
                features.historicalFeatures(
                    driverRows(), DRIVER_TRIPS, TrainingSetOptions.defaults()))
            .get("tie");
    assertThat(tie.<Double>getAs("fare_last")).isEqualTo(7.0);
    assertThat(tie.getList(tie.fieldIndex("fares_last3"))).containsExactly(7.0, 8.0);
    assertThat(tie.<Long>getAs("trips")).isEqualTo(2L);
  }

  @Test
  void keepsEntityRowsAndColumnsAndTypesTheOutputByTheFunction() {
    Dataset<Row> entities = driverRows();
    Dataset<Row> result =
        features.historicalFeatures(entities, DRIVER_TRIPS, TrainingSetOptions.defaults());
    StructType schema = result.schema();
    assertThat(Arrays.copyOf(schema.fieldNames(), 4)).containsExactly(entities.columns());
    assertThat(schema.apply("trips").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(schema.apply("fare_sum").dataType()).isEqualTo(DataTypes.DoubleType);
    assertThat(schema.apply("distance_sum").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(schema.apply("fare_min").dataType()).isEqualTo(DataTypes.DoubleType);
    assertThat(schema.apply("fare_last").dataType()).isEqualTo(DataTypes.DoubleType);
    assertThat(schema.apply("fares_last3").dataType())
        .isEqualTo(DataTypes.createArrayType(DataTypes.DoubleType, true));
    assertThat(schema.apply("riders").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(result.count()).isEqualTo(entities.count());
    assertThat(result.where("name = 't again'").count()).isEqualTo(1);
  }

  @Test
  void joinsAnAggregatedViewWithAPlainViewEachOnItsOwnKeys() {
    Dataset<Row> result =
        features.historicalFeatures(
            driverRows(),
            List.of("driver_trips:trips", "customer_profile:age", "driver_trips:fare_sum"),
            TrainingSetOptions.defaults().withFullFeatureNames());
    assertThat(result.columns())
        .containsExactly(
            "name",
            "driver_id",
            "customer_id",
            "event_timestamp",
            "driver_trips__trips",
            "customer_profile__age",
            "driver_trips__fare_sum");
    Row t = byName(result).get("t");
    assertThat(t.<Long>getAs("driver_trips__trips")).isEqualTo(4L);
    assertThat(t.<Integer>getAs("customer_profile__age")).isEqualTo(30);
    assertThat(t.<Double>getAs("driver_trips__fare_sum")).isEqualTo(7.0);
    assertThat(result.count()).isEqualTo(10);
  }

  @Test
  void readsOnlyTheEventsAWindowCanCoverAndTheColumnsTheTilesNeed() {
    List<Dataset<Row>> scans =
        features.sourceScans(driverRows(), DRIVER_TRIPS, TrainingSetOptions.defaults());
    assertThat(scans).hasSize(1);
    SparkSession spark = SparkTestSession.get();
    spark.conf().set("spark.sql.maxMetadataStringLength", "1000"); // plan text untruncated
    String plan;
    try {
      plan = scans.get(0).queryExecution().executedPlan().toString();
    } finally {
      spark.conf().unset("spark.sql.maxMetadataStringLength");
    }
    // Entity timestamps span 01:00..06:00, the longest window is 2h: [floor(01:00) - 2h, 06:00].
    assertThat(plan)
        .contains(
            "ReadSchema: struct<driver_id:bigint,event_timestamp:timestamp,created:timestamp,"
                + "fare:double,distance:bigint,rider_id:string>")
        .contains("GreaterThanOrEqual(event_timestamp,2023-12-31 23:00:00.0)")
        .contains("LessThanOrEqual(event_timestamp,2024-01-01 06:00:00.0)");
  }

  @Test
  void streamsAHotKey() {
    long[] offsets = {
      0, 3_600_000_000L, 86_400_000_000L + 1, 1_000_000_000_000L, 1_999_990_000_000L
    };
    Row[] rows = new Row[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      rows[i] = row("hot " + i, 7L, "c1", at(Duration.of(offsets[i], ChronoUnit.MICROS)));
    }
    Map<String, Row> result =
        byName(
            features.historicalFeatures(
                frame(ENTITIES, rows), List.of("hot_trips:*"), TrainingSetOptions.defaults()));
    long hour = 3_600_000_000L;
    for (int i = 0; i < offsets.length; i++) {
      long t = offsets[i];
      long count2h = 0;
      long sum24h = 0;
      for (long e = 0; e < HOT_EVENTS; e++) {
        long ts = e * HOT_STEP_MICROS;
        if (ts <= t && ts >= Math.floorDiv(t, hour) * hour - 2 * hour) {
          count2h++;
        }
        if (ts <= t && ts >= Math.floorDiv(t, hour) * hour - 24 * hour) {
          sum24h += e % 10;
        }
      }
      Row row = result.get("hot " + i);
      assertThat(row.<Long>getAs("hot_trips_2h")).as("hot " + i).isEqualTo(count2h);
      assertThat(row.<Long>getAs("hot_sum_24h")).as("hot " + i).isEqualTo(sum24h);
    }
    assertThat(result.get("hot 3").<Long>getAs("hot_trips_2h"))
        .isEqualTo(1001L); // [275:00, 277:46:40] every 10 s
  }

  @Test
  void matchesEveryColumnOfACompositeKey() {
    StructType schema =
        schema(
            field("name", DataTypes.StringType),
            field("origin", DataTypes.StringType),
            field("destination", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType));
    Map<String, Row> rows =
        byName(
            features.historicalFeatures(
                frame(
                    schema,
                    row("ab", "A", "B", at(ofHours(2))),
                    row("ac", "A", "C", at(ofHours(2))),
                    row("ba", "B", "A", at(ofHours(2))),
                    row("a-", "A", null, at(ofHours(2)))),
                List.of("route_trips:*"),
                TrainingSetOptions.defaults()));
    // Interval 30 min, window 1h, as of 2:00: [1:00, 2:00].
    assertThat(rows.get("ab").<Long>getAs("route_trips_1h")).isEqualTo(2L);
    assertThat(rows.get("ab").<Integer>getAs("route_last")).isEqualTo(11);
    assertThat(rows.get("ac").<Long>getAs("route_trips_1h")).isEqualTo(1L);
    assertThat(rows.get("ba").<Long>getAs("route_trips_1h")).isEqualTo(0L);
    assertThat(rows.get("ba").isNullAt(rows.get("ba").fieldIndex("route_last"))).isTrue();
    assertThat(rows.get("a-").<Long>getAs("route_trips_1h")).isEqualTo(0L);
  }

  @Test
  void givesTheSameResultInAnotherTimeZone() {
    List<String> utc =
        sorted(
            features.historicalFeatures(driverRows(), DRIVER_TRIPS, TrainingSetOptions.defaults()));
    SparkSession spark = SparkTestSession.get();
    TimeZone jvmZone = TimeZone.getDefault();
    List<String> elsewhere;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
      spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
      elsewhere =
          sorted(
              features.historicalFeatures(
                  driverRows(), DRIVER_TRIPS, TrainingSetOptions.defaults()));
    } finally {
      spark.conf().set("spark.sql.session.timeZone", "UTC");
      TimeZone.setDefault(jvmZone);
    }
    assertThat(elsewhere).isEqualTo(utc);
    assertThat(utc).hasSize(10);
  }

  private static List<String> sorted(Dataset<Row> result) {
    return result.drop("event_timestamp").collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }

  @Test
  void rejectsAnEntityTimestampColumnOfAnotherType() {
    Dataset<Row> entities =
        frame(
            schema(
                field("driver_id", DataTypes.LongType),
                field("event_timestamp", DataTypes.StringType)),
            row(1L, "2024-01-01T00:00:00Z"));
    assertThatThrownBy(
            () ->
                features.historicalFeatures(entities, DRIVER_TRIPS, TrainingSetOptions.defaults()))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot build a training set: entity timestamp column 'event_timestamp' is string,"
                + " expected timestamp (an instant; convert it, e.g. with to_timestamp)");
  }

  @Test
  void namesAMissingSourceColumnOfAnAggregation() {
    Definitions broken =
        new Definitions(
            "rides",
            List.of(entity("driver", key("driver_id", ValueType.INT64))),
            List.of(source("trips_src", "trips.parquet", "created")),
            List.of(
                aggregatedView(
                    "tips",
                    List.of("driver"),
                    "trips_src",
                    ofHours(1),
                    aggregation("tip_sum", SUM, "tip", ValueType.FLOAT64, ofHours(1)))),
            List.of());
    HistoricalFeatures historical =
        HistoricalFeatures.of(SparkTestSession.get(), broken, p -> dir.resolve(p).toUri());
    assertThatThrownBy(
            () ->
                historical.historicalFeatures(
                    driverRows(), List.of("tips:tip_sum"), TrainingSetOptions.defaults()))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot join feature view 'tips': source 'trips_src' (trips.parquet) has no column"
                + " 'tip' for aggregation 'tip_sum' of feature view 'tips'");
  }
}
