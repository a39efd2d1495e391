/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static dev.featurestore.offline.TestData.at;
import static dev.featurestore.offline.TestData.field;
import static dev.featurestore.offline.TestData.frame;
import static dev.featurestore.offline.TestData.row;
import static dev.featurestore.offline.TestData.schema;
import static dev.featurestore.offline.TestData.writeParquet;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-computed point-in-time joins: every rule of the contract in docs/offline.md. */
class PointInTimeJoinIT {
  /**
   * The options every case starts from: the defaults, which broadcast the entity pairs and reduce
   * the sources on the map side. {@link PointInTimeJoinWithoutBroadcastIT} runs every case again
   * with the sort-only plan.
   */
  TrainingSetOptions options() {
    return TrainingSetOptions.defaults();
  }

  private static final Duration MICRO = Duration.of(1, ChronoUnit.MICROS);

  @TempDir static Path dir;
  private static HistoricalFeatures features;

  @BeforeAll
  static void writeSources() {
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
                source("driver_source", "driver.parquet", "created"),
                source("customer_source", "customer.parquet"),
                source("route_source", "route.parquet")),
            List.of(
                view(
                    "driver_stats",
                    List.of("driver"),
                    "driver_source",
                    ofHours(1),
                    feature("conv_rate", ValueType.FLOAT64),
                    feature("trips", ValueType.INT64)),
                view(
                    "customer_profile",
                    List.of("customer"),
                    "customer_source",
                    Duration.ZERO,
                    feature("age", ValueType.INT32),
                    feature("embedding", ValueType.ARRAY_FLOAT32)),
                view(
                    "route_stats",
                    List.of("route"),
                    "route_source",
                    ofDays(1),
                    feature("duration", ValueType.FLOAT64),
                    feature("trips", ValueType.INT64))),
            List.of());
    StructType driver =
        schema(
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType),
            field("created", DataTypes.TimestampType),
            field("conv_rate", DataTypes.DoubleType),
            field("trips", DataTypes.LongType));
    writeParquet(
        dir.resolve("driver.parquet"),
        driver,
        row(1L, at(ofHours(0)), at(ofHours(0)), 0.1, 10L),
        row(1L, at(ofHours(1)), at(ofHours(1)), 0.2, 20L),
        row(1L, at(ofHours(1)), at(ofHours(2)), 0.3, 30L), // same event ts, created later: wins
        row(1L, at(ofHours(3)), at(ofHours(3)), 0.4, 40L),
        row(2L, at(ofHours(0)), at(ofHours(0)), 0.5, 50L),
        row(2L, at(ofHours(0)), at(ofHours(0)), 0.5, 50L), // exact duplicate
        row(3L, at(ofHours(5)), at(ofHours(5)), 0.7, 70L),
        row(null, at(ofHours(0)), at(ofHours(0)), 9.9, 99L), // null key matches nothing
        row(5L, at(ofHours(0)), at(ofHours(0)), 0.1, 1L), // full tie: greater conv_rate wins
        row(5L, at(ofHours(0)), at(ofHours(0)), 0.9, 2L),
        row(6L, at(ofHours(0)), null, 0.6, 60L), // no created ts: the row with one wins
        row(6L, at(ofHours(0)), at(ofHours(0)), 0.2, 61L));
    writeParquet(
        dir.resolve("customer.parquet"),
        schema(
            field("customer_id", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType),
            field("age", DataTypes.IntegerType),
            field("embedding", DataTypes.createArrayType(DataTypes.FloatType))),
        row("c1", at(ofDays(-100)), 30, new float[] {1f, 2f}),
        row("c1", at(ofHours(10)), 31, new float[] {3f}));
    writeParquet(
        dir.resolve("route.parquet"),
        schema(
            field("origin", DataTypes.StringType),
            field("destination", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType),
            field("duration", DataTypes.DoubleType),
            field("trips", DataTypes.LongType)),
        row("A", "B", at(ofHours(0)), 5.0, 1L),
        row("A", "C", at(ofHours(0)), 7.0, 2L),
        row("B", "A", at(ofHours(0)), 9.0, 3L));
    features =
        HistoricalFeatures.of(SparkTestSession.get(), definitions, p -> dir.resolve(p).toUri());
  }

  private static Dataset<Row> rides() {
    StructType schema =
        schema(
            field("label", DataTypes.StringType),
            field("driver_id", DataTypes.LongType),
            field("customer_id", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType));
    return frame(
        schema,
        row("a exactly ttl old; created breaks the tie", 1L, "c1", at(ofHours(2))),
        row("b one micro older than ttl", 1L, "c1", at(ofHours(2).plus(MICRO))),
        row("c feature row at the entity ts", 1L, "c2", at(ofHours(3))),
        row("d future rows ignored", 1L, null, at(ofMinutes(30))),
        row("d future rows ignored", 1L, null, at(ofMinutes(30))),
        row("f duplicate source rows", 2L, "c1", at(ofMinutes(30))),
        row("g only future data", 3L, "c1", at(ofHours(1))),
        row("h null key", null, "c1", at(ofHours(1))),
        row("i unknown key", 4L, "c1", at(ofHours(1))),
        row("j full tie", 5L, "c1", at(ofMinutes(1))),
        row("k missing created ts", 6L, "c1", at(ofMinutes(1))),
        row("l null timestamp", 1L, "c1", null));
  }

  private static List<String> rows(Dataset<Row> result, String... columns) {
    List<String> rows = new ArrayList<>();
    for (Row row : result.selectExpr(columns).collectAsList()) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < row.length(); i++) {
        Object value = row.get(i);
        if (value instanceof scala.collection.Seq<?> seq) {
          value = scala.jdk.javaapi.CollectionConverters.asJava(seq);
        }
        text.append(i == 0 ? "" : " | ").append(value);
      }
      rows.add(text.toString());
    }
    rows.sort(null);
    return rows;
  }

  @Test
  void picksTheLatestValidRowPerEntityRowAndView() {
    Dataset<Row> result =
        features.historicalFeatures(
            rides(),
            List.of("driver_stats:*", "customer_profile:age", "customer_profile:embedding"),
            options());

    assertThat(result.columns())
        .containsExactly(
            "label",
            "driver_id",
            "customer_id",
            "event_timestamp",
            "conv_rate",
            "trips",
            "age",
            "embedding");
    assertThat(rows(result, "label", "conv_rate", "trips", "age", "embedding"))
        .containsExactly(
            "a exactly ttl old; created breaks the tie | 0.3 | 30 | 30 | [1.0, 2.0]",
            "b one micro older than ttl | null | null | 30 | [1.0, 2.0]",
            "c feature row at the entity ts | 0.4 | 40 | null | null",
            "d future rows ignored | 0.1 | 10 | null | null",
            "d future rows ignored | 0.1 | 10 | null | null",
            "f duplicate source rows | 0.5 | 50 | 30 | [1.0, 2.0]",
            "g only future data | null | null | 30 | [1.0, 2.0]",
            "h null key | null | null | 30 | [1.0, 2.0]",
            "i unknown key | null | null | 30 | [1.0, 2.0]",
            "j full tie | 0.9 | 2 | 30 | [1.0, 2.0]",
            "k missing created ts | 0.2 | 61 | 30 | [1.0, 2.0]",
            "l null timestamp | null | null | null | null");
  }

  @Test
  void keepsInputColumnsUnchanged() {
    Dataset<Row> input = rides();
    Dataset<Row> result =
        features.historicalFeatures(input, List.of("driver_stats:trips"), options());

    assertThat(result.schema().fields()).startsWith(input.schema().fields());
    assertThat(result.drop("trips").exceptAll(input).count()).isZero();
    assertThat(input.exceptAll(result.drop("trips")).count()).isZero();
  }

  @Test
  void joinsCompositeKeys() {
    StructType schema =
        schema(
            field("origin", DataTypes.StringType),
            field("destination", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType));
    Dataset<Row> trips =
        frame(
            schema,
            row("A", "C", at(ofHours(1))),
            row("A", "B", at(ofHours(1))),
            row("B", "B", at(ofHours(1))),
            row("A", null, at(ofHours(1))),
            row("B", "A", at(ofDays(1))),
            row("B", "A", at(ofDays(1).plus(MICRO))));

    Dataset<Row> result =
        features.historicalFeatures(trips, List.of("route_stats:duration"), options());

    assertThat(rows(result, "origin", "destination", "cast(event_timestamp as string)", "duration"))
        .containsExactly(
            "A | B | 2024-01-01 01:00:00 | 5.0",
            "A | C | 2024-01-01 01:00:00 | 7.0",
            "A | null | 2024-01-01 01:00:00 | null",
            "B | A | 2024-01-02 00:00:00 | 9.0",
            "B | A | 2024-01-02 00:00:00.000001 | null",
            "B | B | 2024-01-01 01:00:00 | null");
  }

  @Test
  void joinsViewsOnDifferentEntitiesAndNamesThemViewFeature() {
    StructType schema =
        schema(
            field("driver_id", DataTypes.LongType),
            field("origin", DataTypes.StringType),
            field("destination", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType));
    Dataset<Row> trips =
        frame(
            schema,
            row(1L, "A", "B", at(ofHours(2))),
            row(2L, "B", "A", at(ofMinutes(30))),
            row(9L, "A", "C", at(ofHours(1))));

    Dataset<Row> result =
        features.historicalFeatures(
            trips,
            List.of("driver_stats:trips", "route_stats:trips"),
            options().withFullFeatureNames());

    assertThat(result.columns())
        .containsExactly(
            "driver_id",
            "origin",
            "destination",
            "event_timestamp",
            "driver_stats__trips",
            "route_stats__trips");
    assertThat(rows(result, "driver_id", "driver_stats__trips", "route_stats__trips"))
        .containsExactly("1 | 30 | 1", "2 | 50 | 3", "9 | null | 2");
  }

  @Test
  void readsKeysFromMappedColumns() {
    Dataset<Row> input = rides().withColumnRenamed("driver_id", "driver");

    Dataset<Row> result =
        features.historicalFeatures(
            input,
            List.of("driver_stats:trips"),
            options().withJoinKeyMap(Map.of("driver", "driver_id")));

    assertThat(result.columns()).doesNotContain("driver_id");
    assertThat(rows(result.where("label like 'a%' or label like 'j%'"), "label", "driver", "trips"))
        .containsExactly(
            "a exactly ttl old; created breaks the tie | 1 | 30", "j full tie | 5 | 2");
  }

  @Test
  void readsOnlyTheNeededColumnsAndTimeRangeFromParquet() {
    Dataset<Row> entities = rides().where("label like 'a%' or label like 'c%'");
    List<String> refs = List.of("driver_stats:trips");
    // The joined result's plan shows the sources as RDD scans (the join runs on internal rows),
    // so the scans are checked on the source rows the join reads.
    List<Dataset<Row>> scans = features.sourceScans(entities, refs, options());
    assertThat(scans).hasSize(1);

    SparkSession spark = SparkTestSession.get();
    spark.conf().set("spark.sql.maxMetadataStringLength", "1000"); // plan text untruncated
    String plan;
    try {
      plan = scans.get(0).queryExecution().executedPlan().toString();
    } finally {
      spark.conf().unset("spark.sql.maxMetadataStringLength");
    }
    // Entity timestamps span 02:00..03:00 and the TTL is 1 h: the scan keeps [01:00, 03:00].
    assertThat(plan)
        .contains(
            "ReadSchema: struct<driver_id:bigint,event_timestamp:timestamp,created:timestamp,"
                + "trips:bigint>")
        .contains("GreaterThanOrEqual(event_timestamp,2024-01-01 01:00:00.0)")
        .contains("LessThanOrEqual(event_timestamp,2024-01-01 03:00:00.0)");
    Dataset<Row> result = features.historicalFeatures(entities, refs, options());
    assertThat(rows(result, "label", "trips"))
        .containsExactly(
            "a exactly ttl old; created breaks the tie | 30",
            "c feature row at the entity ts | 40");
  }

  @Test
  void returnsNoRowsForNoEntityRows() {
    Dataset<Row> result =
        features.historicalFeatures(rides().where("false"), List.of("driver_stats:*"), options());

    assertThat(result.columns()).endsWith("conv_rate", "trips");
    assertThat(result.count()).isZero();
  }

  @Test
  void streamsAHotKeyWithManyRows() {
    // 200k rows of one key, one per second; each entity row must get the row 1 s before it.
    SparkSession spark = SparkTestSession.get();
    Path hot = dir.resolve("hot.parquet");
    spark
        .sql(
            "select 42L as driver_id, timestamp_seconds(1704067200 + id) as event_timestamp,"
                + " timestamp_seconds(1704067200 + id) as created, cast(id as double) as conv_rate,"
                + " id as trips from range(0, 200000)")
        .write()
        .parquet(hot.toString());
    Definitions hotDefinitions =
        new Definitions(
            "hot",
            List.of(entity("driver", key("driver_id", ValueType.INT64))),
            List.of(source("hot_source", "hot.parquet", "created")),
            List.of(
                view(
                    "hot_stats",
                    List.of("driver"),
                    "hot_source",
                    Duration.ZERO,
                    feature("trips", ValueType.INT64))),
            List.of());
    Dataset<Row> entities =
        spark.sql(
            "select 42L as driver_id, timestamp_seconds(1704067200 + id * 1000 + 1) as"
                + " event_timestamp, id * 1000 as expected from range(0, 200)");

    Dataset<Row> result =
        HistoricalFeatures.of(spark, hotDefinitions, p -> dir.resolve(p).toUri())
            .historicalFeatures(entities, List.of("hot_stats:trips"), options());

    assertThat(result.where("trips = expected + 1").count()).isEqualTo(200);
  }

  @Test
  void givesTheSameResultInAnotherTimeZone() {
    List<String> utc =
        rows(
            features.historicalFeatures(
                rides(), List.of("driver_stats:*", "customer_profile:age"), options()),
            "label",
            "unix_micros(event_timestamp)",
            "conv_rate",
            "age");
    SparkSession spark = SparkTestSession.get();
    TimeZone jvmZone = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
      spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
      List<String> elsewhere =
          rows(
              features.historicalFeatures(
                  rides(), List.of("driver_stats:*", "customer_profile:age"), options()),
              "label",
              "unix_micros(event_timestamp)",
              "conv_rate",
              "age");
      assertThat(elsewhere).isEqualTo(utc);
    } finally {
      spark.conf().set("spark.sql.session.timeZone", "UTC");
      TimeZone.setDefault(jvmZone);
    }
    assertThat(utc)
        .contains("a exactly ttl old; created breaks the tie | 1704074400000000 | 0.3 | 30");
  }
}
