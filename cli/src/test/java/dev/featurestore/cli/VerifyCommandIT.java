/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import dev.featurestore.spark.testing.SparkTestSession;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
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
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} on real Spark, real Parquet and the real Redis of the fixture, after a real {@code
 * materialize-incremental}: three views (two on the driver entity, one on a composite key).
 */
class VerifyCommandIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  /** The end of the materialization: the views' watermark. */
  private static final Instant WATERMARK = NOW.minus(Duration.ofMinutes(10));

  /** Verified at: driver 3's value (100 minutes old at NOW) is then past driver_stats' 2 h TTL. */
  private static final Instant LOOKUP = NOW.plus(Duration.ofMinutes(30));

  private static final JoinKey DRIVER_ID = key("driver_id", ValueType.INT64);
  private static final StructType DRIVER_SCHEMA =
      new StructType()
          .add("driver_id", DataTypes.LongType)
          .add("event_timestamp", DataTypes.TimestampType)
          .add("created", DataTypes.TimestampType)
          .add("conv_rate", DataTypes.DoubleType)
          .add("trips", DataTypes.LongType);
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
          .add("speed", DataTypes.DoubleType)
          .add("labels", DataTypes.createArrayType(DataTypes.StringType));

  @TempDir Path dir;

  private Definitions definitions;
  private FeatureRepo repo;

  private static Timestamp ago(int minutes) {
    return Timestamp.from(NOW.minus(Duration.ofMinutes(minutes)));
  }

  private static Row driver(long id, int minutesAgo, double convRate, long trips) {
    return RowFactory.create(id, ago(minutesAgo), ago(minutesAgo), convRate, trips);
  }

  private void write(String name, StructType schema, List<Row> rows, String mode) {
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(mode)
        .parquet(dir.resolve(name).toString());
  }

  @BeforeEach
  void materialize() {
    write(
        "drivers",
        DRIVER_SCHEMA,
        List.of(
            driver(1, 90, 0.1, 1),
            driver(1, 30, 0.2, 2),
            driver(2, 40, 0.3, 3),
            driver(3, 100, 0.4, 4),
            driver(5, 20, 0.6, 6)),
        "overwrite");
    write(
        "profiles",
        PROFILE_SCHEMA,
        List.of(1L, 2L, 3L, 5L, 6L).stream()
            .map(id -> RowFactory.create(id, ago(60), id / 10.0f))
            .toList(),
        "overwrite");
    write(
        "routes",
        ROUTE_SCHEMA,
        List.of(
            RowFactory.create("sf", 1, ago(30), 10.5, List.of("a", "b")),
            RowFactory.create("sf", 2, ago(30), 20.5, List.of()),
            RowFactory.create("la", 1, ago(30), 30.5, null)),
        "overwrite");
    FeatureView stats =
        view(
            "driver_stats",
            "driver",
            "driver_source",
            Duration.ofHours(2),
            feature("conv_rate", ValueType.FLOAT64),
            feature("trips", ValueType.INT64));
    FeatureView profile =
        view(
            "driver_profile",
            "driver",
            "profile_source",
            Duration.ZERO,
            feature("rating", ValueType.FLOAT32));
    FeatureView route =
        view(
            "route_stats",
            "route",
            "route_source",
            Duration.ofHours(2),
            feature("speed", ValueType.FLOAT64),
            feature("labels", ValueType.ARRAY_STRING));
    definitions =
        new Definitions(
            TestDefinitions.uniqueProject(),
            List.of(
                entity("driver", DRIVER_ID),
                entity("route", key("city", ValueType.STRING), key("zone", ValueType.INT32))),
            List.of(
                source("driver_source", dir.resolve("drivers").toString(), "created"),
                source("profile_source", dir.resolve("profiles").toString()),
                source("route_source", dir.resolve("routes").toString())),
            List.of(stats, profile, route),
            List.of());
    repo =
        TestRepos.create(
            dir.resolve("repo"), definitions, RedisFixture.shared().uri(), Optional.empty());
    Result materialized =
        run(
            Clock.systemUTC(),
            "materialize-incremental",
            "--repo",
            repo.root().toString(),
            "--end",
            WATERMARK.toString());
    assertThat(materialized.code()).as(materialized.err()).isZero();
  }

  private record Result(int code, String out, String err) {}

  private static Result run(Clock clock, String... args) {
    SparkTestSession.get();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code =
        args[0].equals("verify")
            ? VerifyCommand.run(o, e, EmbeddedRedisStep::redisOf, clock, args)
            : FeaturestoreCli.run(o, e, args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private VerifyReport verify() {
    Result result =
        run(
            Clock.fixed(LOOKUP, ZoneOffset.UTC),
            "verify",
            "--repo",
            repo.root().toString(),
            "--json");
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

  private void set(String viewName, List<?> keyValues, List<?> values, Instant event) {
    FeatureView view = definitions.requireFeatureView(viewName);
    byte[] key =
        OnlineKeys.key(definitions.project(), viewName, definitions.joinKeysOf(view), keyValues);
    byte[] value =
        new OnlineValueCodec(definitions.project(), view)
            .encode(values, VerifyValues.micros(event), OptionalLong.empty());
    redis(r -> r.set(key, value));
  }

  private void delete(String viewName, List<?> keyValues) {
    FeatureView view = definitions.requireFeatureView(viewName);
    byte[] key =
        OnlineKeys.key(definitions.project(), viewName, definitions.joinKeysOf(view), keyValues);
    Long deleted = redis(r -> r.del(key));
    assertThat(deleted).isEqualTo(1L);
  }

  private static <T> T redis(
      java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<byte[], byte[]>, T> call) {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()))) {
      return call.apply(connection.sync());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aCleanMaterializationIsConsistent() {
    Result text =
        run(Clock.fixed(LOOKUP, ZoneOffset.UTC), "verify", "--repo", repo.root().toString());
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out())
        .contains(
            "driver_stats: 5 entities: 3 compared, 0 online-only, 0 offline-only,"
                + " 0 newer offline, 2 absent on both sides")
        .contains("Consistent: every compared value matches.");

    VerifyReport report = verify();
    assertThat(report.consistent()).isTrue();
    assertThat(report.lookupTime()).isEqualTo(LOOKUP);
    assertThat(report.sample()).isEqualTo(1000);
    // Drivers 1-3, 5 (driver_stats) and 6 (only in driver_profile) are online. Driver 3 is past
    // the TTL at the lookup time on both sides; driver 6 has no driver_stats value on either.
    VerifyReport.View stats = viewResult(report, "driver_stats");
    assertThat(stats.entities()).isEqualTo(5);
    assertThat(stats.compared()).isEqualTo(3);
    assertThat(stats.absent()).isEqualTo(2);
    assertThat(stats.watermark()).contains(WATERMARK);
    assertThat(featureResult(stats, "conv_rate").matches()).isEqualTo(3);
    assertThat(featureResult(stats, "trips").matches()).isEqualTo(3);
    VerifyReport.View profile = viewResult(report, "driver_profile");
    assertThat(profile.entities()).isEqualTo(5);
    assertThat(featureResult(profile, "rating").matches()).isEqualTo(5);
    VerifyReport.View route = viewResult(report, "route_stats");
    assertThat(route.entities()).isEqualTo(3);
    assertThat(featureResult(route, "speed").matches()).isEqualTo(3);
    assertThat(featureResult(route, "labels").matches()).isEqualTo(3);
  }

  @Test
  void countsExactlyThePlantedDifferences() {
    // A different conv_rate for driver 1 (same timestamp, same trips), written with the codec.
    set("driver_stats", List.of(1L), List.of(0.25, 2L), NOW.minus(Duration.ofMinutes(30)));
    // Driver 5's driver_stats value removed: driver 5 is still online in driver_profile.
    delete("driver_stats", List.of(5L));
    // A driver the sources never had.
    set("driver_stats", List.of(77L), List.of(0.7, 7L), NOW.minus(Duration.ofMinutes(15)));
    // Composite key: another label array for (la, 1).
    set(
        "route_stats",
        List.of("la", 1),
        List.of(30.5, List.of("x")),
        NOW.minus(Duration.ofMinutes(30)));

    VerifyReport report = verify();
    assertThat(report.consistent()).isFalse();
    VerifyReport.View stats = viewResult(report, "driver_stats");
    assertThat(stats.entities()).isEqualTo(6);
    assertThat(stats.onlineOnly()).isEqualTo(1);
    assertThat(stats.offlineOnly()).isEqualTo(1);
    assertThat(stats.newerOffline()).isZero();
    assertThat(stats.absent()).isEqualTo(2);
    assertThat(stats.compared()).isEqualTo(2);
    VerifyReport.Feature convRate = featureResult(stats, "conv_rate");
    assertThat(convRate.matches()).isEqualTo(1);
    assertThat(convRate.mismatches()).isEqualTo(1);
    assertThat(convRate.examples())
        .containsExactly(
            new VerifyReport.Example(
                Map.of("driver_id", 1), // JSON reads back small numbers as Integer
                0.25,
                0.2,
                NOW.minus(Duration.ofMinutes(30)),
                NOW.minus(Duration.ofMinutes(30))));
    assertThat(featureResult(stats, "trips").mismatches()).isZero();
    assertThat(featureResult(stats, "trips").matches()).isEqualTo(2);

    VerifyReport.View route = viewResult(report, "route_stats");
    assertThat(featureResult(route, "speed").matches()).isEqualTo(3);
    VerifyReport.Feature labels = featureResult(route, "labels");
    assertThat(labels.mismatches()).isEqualTo(1);
    assertThat(labels.examples()).hasSize(1);
    assertThat(labels.examples().get(0).entity())
        .containsExactly(Map.entry("city", "la"), Map.entry("zone", 1));
    assertThat(labels.examples().get(0).online()).isEqualTo(List.of("x"));
    assertThat(labels.examples().get(0).offline()).isNull();
    assertThat(viewResult(report, "driver_profile").consistent()).isTrue();

    Result text =
        run(
            Clock.fixed(LOOKUP, ZoneOffset.UTC),
            "verify",
            "--repo",
            repo.root().toString(),
            "--views",
            "driver_stats");
    assertThat(text.code()).isEqualTo(3);
    assertThat(text.out())
        .contains(
            "    driver_id=1: online 0.25 ("
                + NOW.minus(Duration.ofMinutes(30))
                + "), offline 0.2 (")
        .contains("NOT consistent: 1 mismatched value, 1 online-only and 1 offline-only entities.");
  }

  @Test
  void aSourceRowWrittenAfterTheMaterializationIsNewerOfflineNotAMismatch() {
    write("drivers", DRIVER_SCHEMA, List.of(driver(2, 5, 0.35, 33)), "append");

    VerifyReport report = verify();
    assertThat(report.consistent()).isTrue();
    VerifyReport.View stats = viewResult(report, "driver_stats");
    assertThat(stats.newerOffline()).isEqualTo(1);
    assertThat(stats.compared()).isEqualTo(2);
    assertThat(featureResult(stats, "conv_rate").mismatches()).isZero();
  }

  @Test
  void namesAViewThatIsNotOnline() {
    Result result =
        run(
            Clock.fixed(LOOKUP, ZoneOffset.UTC),
            "verify",
            "--repo",
            repo.root().toString(),
            "--views",
            "driver_statz");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("Cannot find feature view 'driver_statz'")
        .contains("driver_stats");
  }
}
