/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.materializer.MaterializerOptions;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaterializerCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return MaterializerCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsHelpForEveryCommand() {
    assertThat(run("materialize", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Usage: featurestore materialize")
        .contains("--start=T")
        .contains("--views=VIEW");
    assertThat(run("materialize-incremental", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Usage: featurestore materialize-incremental");
  }

  @Test
  void rejectsABadInstantAsUsageError() {
    assertThat(run("materialize", "--start", "yesterday", "--end", "now")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("'yesterday' is not an ISO-8601 instant such as 2026-11-22T07:00:00Z, or 'now'");
  }

  @Test
  void rejectsAMissingEndAsUsageError() {
    assertThat(run("materialize-incremental")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--end=T'");
  }

  @Test
  void rejectsABadSettingWithExitOne() {
    assertThat(
            run(
                "materialize",
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                "now",
                "--conf",
                "materializer.redis.script-batch-size=lots"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "Invalid value 'lots' for materializer.redis.script-batch-size: expected a whole"
                + " number");
  }

  @Test
  void anUnknownSettingKeyListsTheKeysWithTheClosestBeforeAnythingStarts() {
    assertThat(
            run(
                "materialize",
                "--repo",
                "/nonexistent/repo",
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                "now",
                "--conf",
                "materializer.redis.script-batch=16"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "Cannot use --conf materializer.redis.script-batch: unknown key (did you mean"
                + " 'materializer.redis.script-batch-size'?); the keys are "
                + String.join(", ", MaterializerOptions.keys()));
  }

  @Test
  void aSettingOutsideTheMaterializerIsAnUnknownKeyToo() {
    assertThat(
            run(
                "materialize",
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                "now",
                "--conf",
                "spark.sql.shuffle.partitions=4"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("Cannot use --conf spark.sql.shuffle.partitions: unknown key; the keys are ");
  }

  @Test
  void withoutAConfiguredRedisSaysHowToConfigureOne(@TempDir Path dir) throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir);
    FileFeatureRepo.open(repo).registry().apply(TestDefinitions.rides());
    assertThat(
            run(
                "materialize",
                "--repo",
                repo.toString(),
                "--start",
                "2026-11-20T00:00:00Z",
                "--end",
                "now"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "Cannot materialize: featurestore.yaml of project 'rides' names no online.redis; add"
                + " 'online: {redis: redis://HOST:6379}' to it, or run 'featurestore materialize'"
                + " on this machine, which starts the repo's embedded Redis"
                + System.lineSeparator());
    assertThat(dir.resolve(".featurestore/redis")).doesNotExist();
  }
}
