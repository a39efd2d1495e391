/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.service;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.offline.TrainingSetOptions;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.TestRepos;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetRunnerIT {
  @TempDir Path dir;
  private FeatureRepo repo;

  static Definitions definitions() {
    return new Definitions(
        "rides",
        List.of(entity("driver", key("driver_id", ValueType.INT64))),
        List.of(source("driver_source", "data/driver")),
        List.of(
            view(
                "driver_stats",
                List.of("driver"),
                "driver_source",
                Duration.ofHours(2),
                false,
                List.of(
                    feature("conv_rate", ValueType.FLOAT64), feature("trips", ValueType.INT64)))),
        List.of(service("ranker", "driver_stats:conv_rate")));
  }

  static void writeDriverSource(Path repoRoot) {
    List<Row> rows =
        List.of(
            RowFactory.create(1L, Timestamp.from(Instant.parse("2024-01-01T10:00:00Z")), 0.5, 5L),
            RowFactory.create(1L, Timestamp.from(Instant.parse("2024-01-01T12:00:00Z")), 0.6, 6L),
            RowFactory.create(2L, Timestamp.from(Instant.parse("2024-01-01T09:00:00Z")), 0.7, 7L));
    SparkTestSession.get()
        .createDataFrame(
            rows,
            DataTypes.createStructType(
                List.of(
                    DataTypes.createStructField("driver_id", DataTypes.LongType, true),
                    DataTypes.createStructField("event_timestamp", DataTypes.TimestampType, true),
                    DataTypes.createStructField("conv_rate", DataTypes.DoubleType, true),
                    DataTypes.createStructField("trips", DataTypes.LongType, true))))
        .coalesce(1)
        .write()
        .parquet(repoRoot.resolve("data/driver").toString());
  }

  /** Offsets and no offset (UTC): 11:30Z, 13:00+02:00 = 11:00Z, 12:00Z, 09:30Z, 09:30Z. */
  static Path writeCsv(Path file) throws Exception {
    Files.writeString(
        file,
        """
        driver,event_timestamp,label
        1,2024-01-01T11:30:00Z,a
        1,2024-01-01T13:00:00+02:00,b
        1,2024-01-01 12:00:00,c
        2,2024-01-01T09:30:00,d
        2,2024-01-01T09:30:00,d
        3,2024-01-01T09:30:00Z,e
        """);
    return file;
  }

  @BeforeEach
  void writeRepo() {
    repo = TestRepos.fixed(dir.resolve("repo"), Optional.of(definitions()));
    writeDriverSource(repo.root());
  }

  private TrainingSetRequest request(Path entities, Path output, String... references) {
    return new TrainingSetRequest(
        repo.root(),
        entities.toString(),
        List.of(references),
        Optional.empty(),
        output.toString(),
        false,
        "event_timestamp",
        Map.of("driver_id", "driver"),
        TrainingSetOptions.DEFAULT_BROADCAST_LIMIT,
        TrainingSetOptions.DEFAULT_INDEX_LIMIT);
  }

  @Test
  void writesParquetAndAManifestFromACsvFile() throws Exception {
    Path csv = writeCsv(dir.resolve("entities.csv"));
    Path output = dir.resolve("out");

    Manifest manifest = TrainingSetRunner.run(request(csv, output, "driver_stats:*"), repo);

    List<String> rows = rows(output);
    assertThat(rows)
        .containsExactly(
            "1|2024-01-01T11:00:00Z|b|0.5|5",
            "1|2024-01-01T11:30:00Z|a|0.5|5",
            "1|2024-01-01T12:00:00Z|c|0.6|6",
            "2|2024-01-01T09:30:00Z|d|0.7|7",
            "2|2024-01-01T09:30:00Z|d|0.7|7",
            "3|2024-01-01T09:30:00Z|e|null|null");
    assertThat(manifest.inputRows()).isEqualTo(6);
    assertThat(manifest.outputRows()).isEqualTo(6);
    JsonNode json = new ObjectMapper().readTree(output.resolve("_manifest.json").toFile());
    assertThat(json.get("registry_version").asLong()).isEqualTo(7);
    assertThat(json.get("feature_references").toString())
        .isEqualTo("[\"driver_stats:conv_rate\",\"driver_stats:trips\"]");
    assertThat(json.get("input_rows").asLong()).isEqualTo(6);
    assertThat(json.get("output_rows").asLong()).isEqualTo(6);
    assertThat(json.get("seconds").asDouble()).isPositive();
    JsonNode source = json.get("sources").get(0);
    assertThat(source.get("feature_view").asText()).isEqualTo("driver_stats");
    assertThat(source.get("data").get("location").asText())
        .isEqualTo(repo.root().resolve("data/driver").toUri().toString());
    assertThat(source.get("data").get("files").asInt()).isEqualTo(1);
    assertThat(source.get("data").get("bytes").asLong()).isPositive();
    assertThat(Instant.parse(source.get("data").get("last_modified").asText()))
        .isAfter(Instant.now().minusSeconds(600));
    assertThat(json.get("entities").get("bytes").asLong()).isEqualTo(Files.size(csv));

    // Running again with the same inputs replaces the output with the same rows.
    TrainingSetRunner.run(request(csv, output, "driver_stats:*"), repo);
    assertThat(rows(output)).isEqualTo(rows);
  }

  @Test
  void readsAFeatureServiceFromParquetEntities() {
    Path entities = dir.resolve("entities.parquet");
    SparkTestSession.get()
        .sql("select 1L as driver, timestamp'2024-01-01 12:30:00' as event_timestamp")
        .write()
        .parquet(entities.toString());
    TrainingSetRequest request =
        new TrainingSetRequest(
            repo.root(),
            entities.toString(),
            List.of(),
            Optional.of("ranker"),
            dir.resolve("out").toString(),
            true,
            "event_timestamp",
            Map.of("driver", "driver_id"),
            TrainingSetOptions.DEFAULT_BROADCAST_LIMIT,
            TrainingSetOptions.DEFAULT_INDEX_LIMIT);

    Manifest manifest = TrainingSetRunner.run(request, repo);

    assertThat(manifest.columns())
        .containsExactly("driver", "event_timestamp", "driver_stats__conv_rate");
    assertThat(manifest.featureService()).isEqualTo("ranker");
    assertThat(rows(dir.resolve("out"))).containsExactly("1|2024-01-01T12:30:00Z|0.6");
  }

  @Test
  void rejectsABadCsvTimestampNamingTheValue() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "driver,event_timestamp\n1,2024-01-01T10:00:00Z\n2,yesterday\n");

    assertThatThrownBy(
            () ->
                TrainingSetRunner.run(request(csv, dir.resolve("out"), "driver_stats:trips"), repo))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot read entities "
                + csv.toUri()
                + ": column 'event_timestamp' has value 'yesterday', which is not an ISO-8601"
                + " timestamp (e.g. 2024-01-01T10:00:00Z)");
  }

  @Test
  void refusesToOverwriteAFolderThatIsNotATrainingSet() throws Exception {
    Path csv = writeCsv(dir.resolve("entities.csv"));
    Path output = Files.createDirectories(dir.resolve("precious"));
    Files.writeString(output.resolve("notes.txt"), "keep me");

    assertThatThrownBy(
            () -> TrainingSetRunner.run(request(csv, output, "driver_stats:trips"), repo))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("Cannot write the training set to ")
        .hasMessageContaining("it exists and is not an earlier training set (no _manifest.json)");
    assertThat(output.resolve("notes.txt")).exists();
  }

  @Test
  void failsClearlyWithoutAnAppliedVersion() throws Exception {
    Path csv = writeCsv(dir.resolve("entities.csv"));
    FeatureRepo empty = TestRepos.fixed(dir.resolve("repo"), Optional.empty());

    assertThatThrownBy(
            () ->
                TrainingSetRunner.run(
                    request(csv, dir.resolve("out"), "driver_stats:trips"), empty))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("has no applied version; run `featurestore apply` first");
  }

  @Test
  void orientsJoinKeyMapPairsByTheJoinKeySide() {
    assertThat(
            TrainingSetRunner.columnToJoinKey(Map.of("driver_id", "driver"), Set.of("driver_id")))
        .isEqualTo(Map.of("driver", "driver_id"));
    assertThat(
            TrainingSetRunner.columnToJoinKey(Map.of("driver", "driver_id"), Set.of("driver_id")))
        .isEqualTo(Map.of("driver", "driver_id"));
    assertThatThrownBy(
            () -> TrainingSetRunner.columnToJoinKey(Map.of("a", "b"), Set.of("driver_id")))
        .hasMessage(
            "Cannot use --join-key-map a=b: neither side is a join key of the requested feature"
                + " views (join keys: driver_id); write COLUMN=JOIN_KEY");
  }

  /** Rides' driver_hourly_stats, as the plan and materialize tests of the same rule define it. */
  static Definitions hourlyStats() {
    return new Definitions(
        "rides",
        List.of(new Entity("driver", List.of(new JoinKey("driver_id", ValueType.INT64)), "")),
        List.of(
            new ParquetSource(
                "driver_hourly_stats_src",
                "data/driver_hourly_stats",
                "event_timestamp",
                Optional.empty(),
                "")),
        List.of(
            new FeatureView(
                "driver_hourly_stats",
                List.of("driver"),
                "driver_hourly_stats_src",
                Duration.ofHours(2),
                false,
                List.of(
                    Feature.of("conv_rate", ValueType.FLOAT64),
                    Feature.of("avg_daily_trips", ValueType.INT64)),
                Map.of(),
                "")),
        List.of());
  }

  private static void writeHourlyStats(Path repoRoot, DataType convRate, Object rate) {
    SparkTestSession.get()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    1L,
                    Timestamp.from(Instant.parse("2024-01-01T10:00:00Z")),
                    rate,
                    Integer.MAX_VALUE)),
            DataTypes.createStructType(
                List.of(
                    DataTypes.createStructField("driver_id", DataTypes.LongType, true),
                    DataTypes.createStructField("event_timestamp", DataTypes.TimestampType, true),
                    DataTypes.createStructField("conv_rate", convRate, true),
                    DataTypes.createStructField("avg_daily_trips", DataTypes.IntegerType, true))))
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(repoRoot.resolve("data/driver_hourly_stats").toString());
  }

  @Test
  void readsAnInt32ColumnAsAnInt64FeatureAndRejectsADecimalAsPlanDoes() throws Exception {
    FeatureRepo hourly = TestRepos.fixed(dir.resolve("hourly"), Optional.of(hourlyStats()));
    writeHourlyStats(hourly.root(), DataTypes.DoubleType, 0.5);
    Path csv =
        Files.writeString(dir.resolve("e.csv"), "driver,event_timestamp\n1,2024-01-01T11:00:00Z\n");

    TrainingSetRunner.run(request(csv, dir.resolve("out"), "driver_hourly_stats:*"), hourly);

    assertThat(rows(dir.resolve("out"))).containsExactly("1|2024-01-01T11:00:00Z|0.5|2147483647");
    assertThat(
            SparkTestSession.get()
                .read()
                .parquet(dir.resolve("out").toString())
                .schema()
                .apply("avg_daily_trips")
                .dataType())
        .isEqualTo(DataTypes.LongType);

    writeHourlyStats(
        hourly.root(), DataTypes.createDecimalType(10, 2), new java.math.BigDecimal("0.50"));
    assertThatThrownBy(
            () ->
                TrainingSetRunner.run(
                    request(csv, dir.resolve("out2"), "driver_hourly_stats:*"), hourly))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot join feature view 'driver_hourly_stats': column 'conv_rate' of source"
                + " 'driver_hourly_stats_src' (data/driver_hourly_stats) is decimal(10,2) but"
                + " feature 'conv_rate' of feature view 'driver_hourly_stats' is float64: decimals"
                + " are not converted; write the column as float64, or as int64 for whole numbers."
                + " The source no longer matches the view: fix the data or the definition and"
                + " apply again");
  }

  @Test
  void aCorruptParquetSourceIsOneParagraphNamingTheSource() throws Exception {
    Path folder = repo.root().resolve("data/driver");
    Path part;
    try (var files = Files.list(folder)) {
      part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Files.writeString(part, "not a parquet file, just some text to fill a footer");
    Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
    Path csv = writeCsv(dir.resolve("entities.csv"));

    assertThatThrownBy(
            () -> TrainingSetRunner.run(request(csv, dir.resolve("out"), "driver_stats:*"), repo))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot join feature view 'driver_stats': cannot read source 'driver_source' at "
                + repo.resolve("data/driver")
                + ": ")
        .hasMessageContaining(part.getFileName() + " is not a Parquet file")
        .hasMessageNotContaining("\n")
        .satisfies(
            e ->
                assertThat(((FeatureStoreException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_DATA));
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aCorruptFileFoundWhileJoiningIsOneParagraphNamingTheFile() throws Exception {
    // Sorted after the good file, so Spark takes the schema from the good one and meets this one
    // only when the join reads it.
    Path corrupt =
        Files.writeString(
            repo.root().resolve("data/driver/part-99999-corrupt.parquet"), "not a parquet file");
    Path csv = writeCsv(dir.resolve("entities.csv"));

    assertThatThrownBy(
            () -> TrainingSetRunner.run(request(csv, dir.resolve("out"), "driver_stats:*"), repo))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot build a training set: [FAILED_READ_FILE")
        .hasMessageContaining(corrupt.getFileName() + " is not a Parquet file")
        .hasMessageNotContaining("\n")
        .satisfies(
            e ->
                assertThat(((FeatureStoreException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_DATA));
    assertThat(dir.resolve("out").resolve("_manifest.json")).doesNotExist();
  }

  @Test
  void rejectsACsvKeyOfTheWrongTypeNamingTheKeyItsTypeAndTheRow() throws Exception {
    Path csv = dir.resolve("bad-key.csv");
    Files.writeString(
        csv, "driver,event_timestamp\n1,2024-01-01T10:00:00Z\ndrv1001,2024-01-01T11:00:00Z\n");

    assertThatThrownBy(
            () ->
                TrainingSetRunner.run(request(csv, dir.resolve("out"), "driver_stats:trips"), repo))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot read entities "
                + csv.toUri()
                + ": column 'driver' has value 'drv1001', which is not a valid int64 join key"
                + " (row: driver=drv1001, event_timestamp=2024-01-01T11:00:00Z)");
  }

  @Test
  void aListingThatFailsStopsTheRunInsteadOfRecordingMadeUpCounts() {
    assertThatThrownBy(() -> TrainingSetRunner.files("nosuchfs://bucket/entities"))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot list the files at nosuchfs://bucket/entities for the manifest: ")
        .hasMessageContaining("nosuchfs");
  }

  static List<String> rows(Path output) {
    return SparkTestSession.get()
        .read()
        .parquet(output.toString())
        .selectExpr("concat_ws('|', *)", "*")
        .collectAsList()
        .stream()
        .map(TrainingSetRunnerIT::format)
        .sorted()
        .toList();
  }

  private static String format(Row row) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i < row.length(); i++) {
      Object value = row.get(i);
      if (value instanceof Timestamp timestamp) {
        value = timestamp.toInstant();
      }
      text.append(i == 1 ? "" : "|").append(value);
    }
    return text.toString();
  }
}
