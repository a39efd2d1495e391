/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.localredis.EmbeddedRedis;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code materialize} from the command layer gets the repo's embedded Redis, started for it. */
class MaterializeCommandIT {
  @TempDir Path dir;

  @AfterEach
  void stopEmbeddedRedis() {
    EmbeddedRedis.stop(dir.resolve(".featurestore"));
  }

  @Test
  void theCommandLayerStartsTheEmbeddedRedisOfARepoWithoutOne() {
    Path repo = TestRepos.copyOfExample("rides", dir);
    FileFeatureRepo.open(repo).registry().apply(TestDefinitions.rides());
    assertThat(EmbeddedRedis.running(dir.resolve(".featurestore"))).isEmpty();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    FeaturestoreCli.run(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        "materialize",
        "--repo",
        repo.toString(),
        "--views",
        "driver_hourly_stats",
        "--start",
        "2026-11-20T00:00:00Z",
        "--end",
        "2026-11-21T00:00:00Z");

    // The example's sources are not generated here; what matters is where the Redis came from.
    assertThat(EmbeddedRedis.running(dir.resolve(".featurestore")))
        .as(err.toString(StandardCharsets.UTF_8))
        .isPresent();
  }
}
