/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code training-set} command-line input checked before Spark starts: each mistake is one
 * paragraph and no session is created for it.
 */
class TrainingSetInputsTest {
  @TempDir Path dir;
  private Path repo;

  record Result(int exitCode, String err) {}

  @BeforeEach
  void applyExampleDefinitions() {
    repo = TestRepos.copyOfExample("rides", dir.resolve("rides"));
    FeatureRepo open = FeatureRepo.open(repo);
    open.registry().apply(open.definitions());
  }

  @Test
  void aMissingEntitiesFileIsNamed() {
    Path missing = dir.resolve("no_such_rides.csv");

    Result result = trainingSet("--entities", missing.toString());

    assertThat(result)
        .isEqualTo(
            new Result(
                1,
                "Cannot read entities "
                    + missing
                    + ": no such file or folder; --entities takes a Parquet file or folder, or a"
                    + " .csv file with a header line\n"));
  }

  @Test
  void anEmptyEntitiesFileSaysItIsEmpty() throws Exception {
    Path empty = Files.writeString(dir.resolve("rides.csv"), "");

    Result result = trainingSet("--entities", empty.toString());

    assertThat(result)
        .isEqualTo(
            new Result(
                1,
                "Cannot read entities "
                    + empty
                    + ": the file is empty; it needs a header line and one entity row per line"
                    + " (CSV), or Parquet data\n"));
  }

  @Test
  void anEntitiesFolderWithoutDataFilesSaysItIsEmpty() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("entities"));
    Files.writeString(folder.resolve("_SUCCESS"), "");

    Result result = trainingSet("--entities", folder.toString());

    assertThat(result)
        .isEqualTo(
            new Result(
                1, "Cannot read entities " + folder + ": the folder is empty (no data files)\n"));
  }

  @Test
  void aJoinKeyMapPairWithoutAColumnIsBadUsage() throws Exception {
    Path entities = Files.writeString(dir.resolve("rides.csv"), "driver,event_timestamp\n1,now\n");

    Result result = trainingSet("--entities", entities.toString(), "--join-key-map", "=driver_id");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .startsWith(
            "Invalid value for option '--join-key-map': '=driver_id' names no entity column or"
                + " join key before '='; write COLUMN=JOIN_KEY, e.g. driver=driver_id\n");
  }

  @Test
  void aJoinKeyMapPairWithoutAJoinKeyIsBadUsage() throws Exception {
    Path entities = Files.writeString(dir.resolve("rides.csv"), "driver,event_timestamp\n1,now\n");

    Result result = trainingSet("--entities", entities.toString(), "--join-key-map", "driver=");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .startsWith(
            "Invalid value for option '--join-key-map': 'driver=' names no name after '=';"
                + " write COLUMN=JOIN_KEY, e.g. driver=driver_id\n");
  }

  private Result trainingSet(String... options) {
    boolean sessionBefore = SparkSession.getDefaultSession().isDefined();
    List<String> args =
        new ArrayList<>(
            List.of(
                "training-set",
                "--repo",
                repo.toString(),
                "--features",
                "driver_hourly_stats:conv_rate",
                "--output",
                dir.resolve("out").toString()));
    args.addAll(List.of(options));
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = OfflineCli.run(args.toArray(new String[0]));
    } finally {
      System.setErr(original);
    }
    if (!sessionBefore) {
      assertThat(SparkSession.getDefaultSession().isDefined())
          .as("a Spark session was started for bad input")
          .isFalse();
    }
    return new Result(code, captured.toString(StandardCharsets.UTF_8));
  }
}
