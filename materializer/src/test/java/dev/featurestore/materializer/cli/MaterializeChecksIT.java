/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.StatisticsHistory;
import dev.featurestore.registry.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks before writing, end to end: an applied repo, Parquet, a real Redis. Three views over one
 * source: {@code rates_strict} whose checks fail, {@code rates_loose} whose checks pass, {@code
 * plain} without checks. The rows a materialization writes, one per driver (latest wins; the
 * null-key row is dropped): 1 -> 0.5 (its older null row is not written), 2 -> 0.9, 3 -> null, 4 ->
 * 1.5; so 1 null of 4 rows (25%), largest value 1.5.
 */
class MaterializeChecksIT {
  private static final String END = "2026-11-21T00:00:00Z";

  @TempDir Path repo;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String project;

  private int run(String... args) {
    out.reset();
    err.reset();
    return MaterializerCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private void repo() throws Exception {
    project = "checks_" + System.nanoTime() % 1_000_000;
    Files.writeString(
        repo.resolve("featurestore.yaml"),
        "project: "
            + project
            + "\noffline:\n  spark_master: local[2]\nonline:\n  redis: "
            + RedisFixture.shared().uri()
            + "\n");
    Files.createDirectories(repo.resolve("features"));
    Files.writeString(
        repo.resolve("features/driver.yaml"),
        """
        entities:
          - name: driver
            join_keys: {driver_id: int64}
        sources:
          - name: driver_src
            parquet: data/drivers
            timestamp_field: event_timestamp
        feature_views:
          - name: rates_strict
            entities: [driver]
            source: driver_src
            features:
              - {name: conv_rate, type: float64, checks: {max: 1, max_null_fraction: 0.2}}
          - name: rates_loose
            entities: [driver]
            source: driver_src
            features:
              - {name: conv_rate, type: float64, checks: {min: 0, max: 2, max_null_fraction: 0.25}}
          - name: plain
            entities: [driver]
            source: driver_src
            features:
              - {name: conv_rate, type: float64}
        """);
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType)
            .add("conv_rate", DataTypes.DoubleType);
    dev.featurestore.materializer.TestSupport.spark()
        .createDataFrame(
            List.of(
                RowFactory.create(1L, ts("2026-11-20T10:00:00Z"), null),
                RowFactory.create(1L, ts("2026-11-20T11:00:00Z"), 0.5),
                RowFactory.create(2L, ts("2026-11-20T10:00:00Z"), 0.9),
                RowFactory.create(3L, ts("2026-11-20T10:00:00Z"), null),
                RowFactory.create(4L, ts("2026-11-20T10:00:00Z"), 1.5),
                RowFactory.create(null, ts("2026-11-20T12:00:00Z"), null)),
            schema)
        .write()
        .parquet(repo.resolve("data/drivers").toString());
    FeatureRepo featureRepo = FeatureRepo.open(repo);
    featureRepo.registry().apply(featureRepo.definitions());
  }

  @Test
  void aFailingCheckStopsExactlyThatViewAndTheOthersAreWritten() throws Exception {
    repo();

    int code = run("materialize-incremental", "--repo", repo.toString(), "--end", END);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "Cannot materialize feature view 'rates_strict': checks failed: conv_rate: largest"
                + " value 1.5, max 1; conv_rate: 25% nulls (1 of 4 rows), max_null_fraction 20%."
                + " It wrote nothing and the watermark did not move; fix the data, or change the"
                + " checks and apply, or write anyway with --allow-failed-checks.");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern("rates_strict\\s+6\\s+0\\s+0\\s+1\\s+0")
        .containsPattern("rates_loose\\s+6\\s+4\\s+0\\s+1\\s+0")
        .contains(
            "rates_strict: checks: 2 of 2 failed: conv_rate: largest value 1.5, max 1; conv_rate:"
                + " 25% nulls (1 of 4 rows), max_null_fraction 20%; nothing written\n",
            "rates_loose: checks: 3 passed\n", "plain: checks: none\n");
    assertThat(keysOf("rates_strict")).isZero();
    assertThat(keysOf("rates_loose")).isEqualTo(4);
    assertThat(keysOf("plain")).isEqualTo(4);
    Path watermarks = repo.resolve(".featurestore/registry/watermarks");
    assertThat(watermarks.resolve("rates_strict.json")).doesNotExist();
    assertThat(Files.readString(watermarks.resolve("rates_loose.json")))
        .contains("\"watermark\" : \"" + END + "\"");
    assertThat(Files.readString(watermarks.resolve("plain.json")))
        .contains("\"watermark\" : \"" + END + "\"");
    // The history records what was written: the views written, not the one held back.
    StatisticsHistory history = FeatureRepo.open(repo).registry().statistics();
    assertThat(history.runs("rates_strict")).isEmpty();
    assertThat(history.runs("plain"))
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.origin()).isEqualTo(StatisticsRun.MATERIALIZE);
              assertThat(run.registryVersion()).isEqualTo(1);
              assertThat(run.statistics().rows()).isEqualTo(4);
              assertThat(run.statistics().end()).isEqualTo(Instant.parse(END));
              assertThat(run.checks()).isEmpty();
            });
    assertThat(history.runs("rates_loose").get(0).checks())
        .extracting(CheckResult::passed)
        .containsExactly(true, true, true);
  }

  @Test
  void allowFailedChecksWritesAnywayAndReportsTheFailures() throws Exception {
    repo();

    int code =
        run(
            "materialize",
            "--repo",
            repo.toString(),
            "--views",
            "rates_strict",
            "--start",
            "2026-11-20T00:00:00Z",
            "--end",
            END,
            "--allow-failed-checks");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "rates_strict: checks: 2 of 2 failed: conv_rate: largest value 1.5, max 1; conv_rate:"
                + " 25% nulls (1 of 4 rows), max_null_fraction 20%; written anyway"
                + " (--allow-failed-checks)\n");
    assertThat(keysOf("rates_strict")).isEqualTo(4);
  }

  @Test
  void jsonCarriesStatisticsAndChecksAndNoStatisticsSkipsThemForViewsWithoutChecks()
      throws Exception {
    repo();

    assertThat(
            run(
                "materialize",
                "--repo",
                repo.toString(),
                "--views",
                "rates_loose,plain",
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                END,
                "--json"))
        .as(err.toString(StandardCharsets.UTF_8))
        .isZero();
    JsonNode views = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("views");
    JsonNode loose = views.get(0);
    assertThat(loose.get("held_back").asBoolean()).isFalse();
    assertThat(loose.get("checks")).hasSize(3);
    assertThat(loose.get("checks").get(2).get("message").asText())
        .isEqualTo("conv_rate: 25% nulls (1 of 4 rows), max_null_fraction 25%");
    JsonNode conv = views.get(1).get("statistics").get("features").get(0);
    assertThat(views.get(1).get("statistics").get("rows").asLong()).isEqualTo(4);
    assertThat(conv.get("nulls").asLong()).isEqualTo(1);
    assertThat(conv.get("numbers").get("min").asDouble()).isEqualTo(0.5);
    assertThat(conv.get("numbers").get("max").asDouble()).isEqualTo(1.5);
    // mean of 0.5, 0.9 and 1.5
    assertThat(conv.get("numbers").get("mean").asDouble()).isCloseTo(2.9 / 3, within());

    assertThat(
            run(
                "materialize",
                "--repo",
                repo.toString(),
                "--views",
                "rates_loose,plain",
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                END,
                "--json",
                "--no-statistics"))
        .isZero();
    views = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("views");
    assertThat(views.get(0).get("statistics").isNull()).isFalse();
    assertThat(views.get(0).get("checks")).hasSize(3);
    assertThat(views.get(1).get("statistics").isNull()).isTrue();
    assertThat(views.get(1).get("checks")).isEmpty();
    assertThat(
            views.get(1).get("keys_written").asLong()
                + views.get(1).get("keys_skipped_not_newer").asLong())
        .isEqualTo(4);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  private long keysOf(String view) {
    try (RedisClient client = RedisClient.create();
        StatefulRedisConnection<byte[], byte[]> redis =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()))) {
      long found = 0;
      for (long driver = 1; driver <= 4; driver++) {
        byte[] key =
            OnlineKeys.key(
                project, view, List.of(new JoinKey("driver_id", ValueType.INT64)), List.of(driver));
        found += redis.sync().exists(key);
      }
      return found;
    }
  }

  private static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }
}
