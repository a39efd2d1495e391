/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static dev.featurestore.registry.testing.TestDefinitions.aggregation;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import dev.featurestore.spark.testing.SparkTestSession;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} of aggregated views on real Spark, Parquet and Redis after a real {@code
 * materialize-incremental}: an aggregated view on the driver (next to a plain view on the same
 * entity) and one on a composite string + int32 key. Times count from {@code HOUR}, the current
 * interval's start, so the windows as of the lookup time are known: 1h covers {@code [HOUR - 1h,
 * LOOKUP]}, 3h {@code [HOUR - 3h, LOOKUP]}, 24h {@code [HOUR - 24h, LOOKUP]}.
 */
class VerifyAggregatedIT {
  /**
   * The start of the interval 15 minutes from now: keys expire in real time (driver 4's an hour
   * after {@code HOUR}), so the test never runs within minutes of an expiry.
   */
  private static final Instant HOUR =
      Instant.now().plus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.HOURS);

  /** The end of the materialization: the views' watermark. */
  private static final Instant WATERMARK = HOUR.minus(Duration.ofMinutes(30));

  private static final Instant LOOKUP = HOUR.plus(Duration.ofMinutes(10));

  private static final StructType TRIP_SCHEMA =
      new StructType()
          .add("driver_id", DataTypes.LongType)
          .add("event_timestamp", DataTypes.TimestampType)
          .add("fare", DataTypes.DoubleType)
          .add("rider", DataTypes.StringType);
  private static final StructType PROFILE_SCHEMA =
      new StructType()
          .add("driver_id", DataTypes.LongType)
          .add("event_timestamp", DataTypes.TimestampType)
          .add("rating", DataTypes.FloatType);
  private static final StructType ROUTE_SCHEMA =
      new StructType()
          .add("city", DataTypes.StringType)
          .add("zone", DataTypes.IntegerType)
          .add("event_timestamp", DataTypes.TimestampType)
          .add("fare", DataTypes.DoubleType)
          .add("rider", DataTypes.StringType);

  private static final List<Aggregation> AGGREGATIONS =
      List.of(
          new Aggregation(
              "trips_3h",
              AggregationFunction.COUNT,
              Optional.empty(),
              Optional.empty(),
              Duration.ofHours(3),
              0,
              ""),
          new Aggregation(
              "trips_24h",
              AggregationFunction.COUNT,
              Optional.empty(),
              Optional.empty(),
              Duration.ofHours(24),
              0,
              ""),
          aggregation(
              "fare_sum_3h",
              AggregationFunction.SUM,
              "fare",
              ValueType.FLOAT64,
              Duration.ofHours(3)),
          aggregation(
              "fare_avg_24h",
              AggregationFunction.AVG,
              "fare",
              ValueType.FLOAT64,
              Duration.ofHours(24)),
          aggregation(
              "fare_std_24h",
              AggregationFunction.STDDEV,
              "fare",
              ValueType.FLOAT64,
              Duration.ofHours(24)),
          aggregation(
              "rider_last_1h",
              AggregationFunction.LAST,
              "rider",
              ValueType.STRING,
              Duration.ofHours(1)),
          new Aggregation(
              "fares_last2_24h",
              AggregationFunction.LAST_N,
              Optional.of("fare"),
              Optional.of(ValueType.FLOAT64),
              Duration.ofHours(24),
              2,
              ""),
          aggregation(
              "riders_24h",
              AggregationFunction.APPROX_COUNT_DISTINCT,
              "rider",
              ValueType.STRING,
              Duration.ofHours(24)));

  @TempDir Path dir;

  private Definitions definitions;
  private FeatureRepo repo;

  private static Timestamp at(Duration beforeHour) {
    return Timestamp.from(HOUR.minus(beforeHour));
  }

  private static Row trip(long driver, Duration beforeHour, Double fare, String rider) {
    return RowFactory.create(driver, at(beforeHour), fare, rider);
  }

  private static Duration minutes(int minutes) {
    return Duration.ofMinutes(minutes);
  }

  private void write(String name, StructType schema, List<Row> rows, String mode) {
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(mode)
        .parquet(dir.resolve(name).toString());
  }

  private static FeatureView aggregated(String name, String entity, String source) {
    return new FeatureView(
        name,
        List.of(entity),
        source,
        Duration.ZERO,
        true,
        List.of(),
        Map.of(),
        "",
        Optional.empty(),
        Optional.of(new Aggregations(Duration.ofHours(1), AGGREGATIONS)));
  }

  @BeforeEach
  void materialize() {
    write(
        "trips",
        TRIP_SCHEMA,
        List.of(
            trip(1, minutes(130), 1.5, "a"),
            trip(1, minutes(40), 2.25, "b"),
            trip(1, minutes(35), null, "a"),
            trip(1, minutes(30), 0.1, "c"), // at exactly the watermark
            trip(2, Duration.ofHours(20), 3.0, "a"),
            trip(2, Duration.ofHours(5), 0.3, null),
            trip(3, Duration.ofHours(24), 7.0, "d"), // at exactly the 24h window's tail
            // Materialized (the first run reads from floor_H(watermark) - 24h = HOUR - 25h), but
            // outside every window as of the lookup: nothing on either side.
            trip(4, Duration.ofHours(25), 4.0, "e"),
            trip(5, minutes(60), 5.0, "f")),
        "overwrite");
    write(
        "profiles",
        PROFILE_SCHEMA,
        List.of(1L, 2L, 3L, 4L, 5L, 6L).stream()
            .map(id -> RowFactory.create(id, at(minutes(60)), id / 10.0f))
            .toList(),
        "overwrite");
    write(
        "routes",
        ROUTE_SCHEMA,
        List.of(
            RowFactory.create("sf", 1, at(minutes(90)), 10.5, "a"),
            RowFactory.create("sf", 1, at(minutes(45)), 11.5, "b"),
            RowFactory.create("são paulo", -2, at(Duration.ofHours(10)), 20.5, "a")),
        "overwrite");
    definitions =
        new Definitions(
            TestDefinitions.uniqueProject(),
            List.of(
                entity("driver", key("driver_id", ValueType.INT64)),
                entity("route", key("city", ValueType.STRING), key("zone", ValueType.INT32))),
            List.of(
                source("trips_source", dir.resolve("trips").toString()),
                source("profile_source", dir.resolve("profiles").toString()),
                source("route_source", dir.resolve("routes").toString())),
            List.of(
                aggregated("driver_trips", "driver", "trips_source"),
                view(
                    "driver_profile",
                    "driver",
                    "profile_source",
                    Duration.ZERO,
                    feature("rating", ValueType.FLOAT32)),
                aggregated("route_trips", "route", "route_source")),
            List.of());
    repo =
        TestRepos.create(
            dir.resolve("repo"), definitions, RedisFixture.shared().uri(), Optional.empty());
    Result materialized =
        run(
            "materialize-incremental",
            "--repo",
            repo.root().toString(),
            "--end",
            WATERMARK.toString());
    assertThat(materialized.code()).as(materialized.err()).isZero();
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    SparkTestSession.get();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code =
        args[0].equals("verify")
            ? VerifyCommand.run(
                o, e, EmbeddedRedisStep::redisOf, Clock.fixed(LOOKUP, ZoneOffset.UTC), args)
            : FeaturestoreCli.run(o, e, args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private VerifyReport verify() {
    Result result = run("verify", "--repo", repo.root().toString(), "--json");
    assertThat(result.err()).isEmpty();
    VerifyReport report = QualityJson.read(result.out(), VerifyReport.class);
    assertThat(result.code()).isEqualTo(report.consistent() ? 0 : 3);
    return report;
  }

  private static VerifyReport.View viewResult(VerifyReport report, String name) {
    return report.views().stream().filter(v -> v.view().equals(name)).findFirst().orElseThrow();
  }

  private static VerifyReport.Feature featureResult(VerifyReport.View view, String name) {
    return view.features().stream().filter(f -> f.feature().equals(name)).findFirst().orElseThrow();
  }

  private byte[] redisKey(String viewName, List<?> keyValues) {
    FeatureView view = definitions.requireFeatureView(viewName);
    return OnlineKeys.key(definitions.project(), viewName, definitions.joinKeysOf(view), keyValues);
  }

  /**
   * Replaces the tile of the interval holding {@code event} by one holding that single event, as if
   * written through the watermark.
   */
  private void plantTile(String viewName, List<?> keyValues, Instant event, double fare) {
    TileLayout layout = TileLayout.of(definitions.requireFeatureView(viewName));
    long micros = Windows.micros(event);
    Tile tile = new Tile(layout);
    Object[] values = new Object[layout.columns().size()];
    values[layout.columns().indexOf("fare")] = fare;
    values[layout.columns().indexOf("rider")] = "z";
    tile.add(micros, Tile.NO_CREATED, values);
    byte[] field = TileCodec.field(Windows.tileOf(micros, layout.intervalMicros()));
    byte[] value = TileCodec.encode(tile, Windows.micros(WATERMARK));
    redis(r -> r.hset(redisKey(viewName, keyValues), field, value));
  }

  private static <T> T redis(Function<RedisCommands<byte[], byte[]>, T> call) {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()))) {
      return call.apply(connection.sync());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aCleanMaterializationIsConsistentToTheBit() {
    Result text = run("verify", "--repo", repo.root().toString());
    assertThat(text.code()).as(text.out() + text.err()).isZero();
    assertThat(text.out())
        .contains("Verified 3 online views")
        .contains(
            "driver_trips: 6 entities: 4 compared, 0 online-only, 0 offline-only,"
                + " 0 newer offline, 2 absent on both sides")
        .contains("Consistent: every compared value matches.");

    VerifyReport report = verify();
    assertThat(report.consistent()).isTrue();
    // Drivers 1-5 have tiles, 1-6 a profile. Driver 4's tiles lie outside every window as of the
    // lookup, driver 6 has no trip: both absent.
    VerifyReport.View trips = viewResult(report, "driver_trips");
    assertThat(trips.entities()).isEqualTo(6);
    assertThat(trips.compared()).isEqualTo(4);
    assertThat(trips.absent()).isEqualTo(2);
    assertThat(trips.watermark()).contains(WATERMARK);
    assertThat(trips.features()).hasSize(AGGREGATIONS.size());
    for (VerifyReport.Feature feature : trips.features()) {
      assertThat(feature.matches()).as(feature.feature()).isEqualTo(4);
      assertThat(feature.mismatches()).as(feature.feature()).isZero();
    }
    VerifyReport.View routes = viewResult(report, "route_trips");
    assertThat(routes.entities()).isEqualTo(2);
    assertThat(routes.compared()).isEqualTo(2);
    assertThat(featureResult(routes, "fares_last2_24h").matches()).isEqualTo(2);
    // The plain view on the same entity is verified as before.
    VerifyReport.View profile = viewResult(report, "driver_profile");
    assertThat(profile.compared()).isEqualTo(6);
    assertThat(featureResult(profile, "rating").matches()).isEqualTo(6);

    Result one = run("verify", "--repo", repo.root().toString(), "--views", "route_trips");
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(one.out())
        .contains("Verified 1 online view as of " + LOOKUP)
        .contains("route_trips: 2 entities: 2 compared");
  }

  @Test
  void countsExactlyThePlantedDifferences() {
    // Driver 1's interval HOUR - 1h (3 events) replaced by one of a single event.
    plantTile("driver_trips", List.of(1L), HOUR.minus(minutes(50)), 9.0);
    // Driver 5's tiles removed: driver 5 is still online in driver_profile.
    Long deleted = redis(r -> r.del(redisKey("driver_trips", List.of(5L))));
    assertThat(deleted).isEqualTo(1L);
    // A driver the sources never had.
    plantTile("driver_trips", List.of(77L), HOUR.minus(minutes(45)), 1.0);
    // Composite key: (sf, 1)'s interval HOUR - 1h replaced.
    plantTile("route_trips", List.of("sf", 1), HOUR.minus(minutes(45)), 11.0);

    VerifyReport report = verify();
    assertThat(report.consistent()).isFalse();
    VerifyReport.View trips = viewResult(report, "driver_trips");
    assertThat(trips.entities()).isEqualTo(7);
    assertThat(trips.onlineOnly()).isEqualTo(1);
    assertThat(trips.offlineOnly()).isEqualTo(1);
    assertThat(trips.newerOffline()).isZero();
    assertThat(trips.absent()).isEqualTo(2);
    assertThat(trips.compared()).isEqualTo(3);
    // Driver 1 as of the lookup: offline 1.5, 2.25, null, 0.1 in 3h and 24h; online 1.5, 9.0.
    VerifyReport.Feature trips24h = featureResult(trips, "trips_24h");
    assertThat(trips24h.matches()).isEqualTo(2);
    assertThat(trips24h.mismatches()).isEqualTo(1);
    assertThat(trips24h.examples())
        .containsExactly(
            new VerifyReport.Example(
                Map.of("driver_id", 1), // JSON reads back small numbers as Integer
                2,
                4,
                HOUR.minus(minutes(50)),
                WATERMARK));
    assertThat(featureResult(trips, "fares_last2_24h").examples().get(0).online())
        .isEqualTo(List.of(9.0, 1.5));
    assertThat(featureResult(trips, "fares_last2_24h").examples().get(0).offline())
        .isEqualTo(List.of(0.1, 2.25));
    // Rider "z" online, "c" offline in 1h; the distinct riders of 24h: {a, z} online, {a, b, c}.
    assertThat(featureResult(trips, "rider_last_1h").mismatches()).isEqualTo(1);
    assertThat(featureResult(trips, "riders_24h").mismatches()).isEqualTo(1);

    VerifyReport.View routes = viewResult(report, "route_trips");
    assertThat(routes.compared()).isEqualTo(2);
    VerifyReport.Feature routeSums = featureResult(routes, "fare_sum_3h");
    assertThat(routeSums.mismatches()).isEqualTo(1);
    assertThat(routeSums.examples().get(0).entity())
        .containsExactly(Map.entry("city", "sf"), Map.entry("zone", 1));
    assertThat(routeSums.examples().get(0).online()).isEqualTo(21.5);
    assertThat(routeSums.examples().get(0).offline()).isEqualTo(22.0);
    assertThat(viewResult(report, "driver_profile").consistent()).isTrue();

    Result text = run("verify", "--repo", repo.root().toString(), "--views", "driver_trips");
    assertThat(text.code()).isEqualTo(3);
    assertThat(text.out())
        .contains(
            "    driver_id=1: online 2 ("
                + HOUR.minus(minutes(50))
                + "), offline 4 ("
                + WATERMARK
                + ")")
        .contains("1 online-only and 1 offline-only entities.");
  }

  @Test
  void anEventWrittenAfterTheWatermarkIsNewerOfflineNotAMismatch() {
    write("trips", TRIP_SCHEMA, List.of(trip(2, minutes(10), 0.35, "a")), "append");

    VerifyReport report = verify();
    assertThat(report.consistent()).isTrue();
    VerifyReport.View trips = viewResult(report, "driver_trips");
    assertThat(trips.newerOffline()).isEqualTo(1);
    assertThat(trips.compared()).isEqualTo(3);
    assertThat(featureResult(trips, "trips_24h").mismatches()).isZero();
  }
}
