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
import dev.featurestore.registry.repo.FeatureRepo;
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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end on a real feature repo: applied registry, Parquet, a real Redis. */
class MaterializerCliIT {
  @TempDir Path repo;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return MaterializerCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String project() throws Exception {
    String project = "cli_" + System.nanoTime() % 1_000_000;
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
          - name: driver_stats
            entities: [driver]
            source: driver_src
            features:
              - {name: conv_rate, type: float64}
          - name: driver_history
            entities: [driver]
            source: driver_src
            online: false
            features:
              - {name: conv_rate, type: float64}
        """);
    SparkSession spark = dev.featurestore.materializer.TestSupport.spark();
    StructType schema =
        new StructType()
            .add("driver_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType)
            .add("conv_rate", DataTypes.DoubleType);
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(1L, ts("2026-11-20T10:00:00Z"), 0.1),
                RowFactory.create(1L, ts("2026-11-20T11:00:00Z"), 0.2),
                RowFactory.create(2L, ts("2026-11-20T12:00:00Z"), 0.3),
                RowFactory.create(null, ts("2026-11-20T12:00:00Z"), 0.4)),
            schema)
        .write()
        .parquet(repo.resolve("data/drivers").toString());
    FeatureRepo featureRepo = FeatureRepo.open(repo);
    featureRepo.registry().apply(featureRepo.definitions());
    return project;
  }

  private static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  @Test
  void materializesIncrementallyAndPrintsAJsonSummary() throws Exception {
    String project = project();

    int code =
        run(
            "materialize-incremental",
            "--repo",
            repo.toString(),
            "--end",
            "2026-11-21T00:00:00Z",
            "--json");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode summary = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(summary.get("project").asText()).isEqualTo(project);
    JsonNode view = summary.get("views").get(0);
    assertThat(view.get("view").asText()).isEqualTo("driver_stats");
    assertThat(view.get("start").isNull()).isTrue();
    assertThat(view.get("rows_read").asLong()).isEqualTo(4);
    assertThat(view.get("keys_written").asLong()).isEqualTo(2);
    assertThat(view.get("null_key_rows_skipped").asLong()).isEqualTo(1);
    assertThat(view.get("keys_skipped_not_newer").asLong()).isZero();
    assertThat(view.get("expired_rows_skipped").asLong()).isZero();
    assertThat(
            Files.readString(repo.resolve(".featurestore/registry/watermarks/driver_stats.json")))
        .contains("\"watermark\" : \"2026-11-21T00:00:00Z\"");
    try (RedisClient client = RedisClient.create();
        StatefulRedisConnection<byte[], byte[]> redis =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()))) {
      byte[] key =
          OnlineKeys.key(
              project,
              "driver_stats",
              List.of(new JoinKey("driver_id", ValueType.INT64)),
              List.of(1L));
      assertThat(redis.sync().exists(key)).isEqualTo(1);
    }

    // The human summary, on a second run over an explicit window.
    assertThat(
            run(
                "materialize",
                "--repo",
                repo.toString(),
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                "2026-11-21T00:00:00Z"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("VIEW")
        .containsPattern("driver_stats\\s+4\\s+2\\s+0\\s+1\\s+0")
        .contains("driver_stats: window 2026-11-20T00:00:00Z .. 2026-11-21T00:00:00Z");
  }

  @Test
  void refusesAnOfflineViewAndSuggestsNamesWithExitOne() throws Exception {
    String project = project();

    assertThat(
            run(
                "materialize",
                "--repo",
                repo.toString(),
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                "now",
                "--views",
                "driver_history"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "Cannot materialize feature view 'driver_history': it is not online (online: false);"
                + " set online: true in its definition and apply, or leave it out of --views");

    assertThat(
            run(
                "materialize-incremental",
                "--repo",
                repo.toString(),
                "--end",
                "now",
                "--views",
                "driver_stat"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "Cannot materialize feature view 'driver_stat': no such view in project '"
                + project
                + "' (did you mean 'driver_stats'?)");
    assertThat(repo.resolve(".featurestore/registry/watermarks")).doesNotExist();
  }
}
