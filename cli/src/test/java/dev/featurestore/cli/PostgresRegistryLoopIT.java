/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.testing.PostgresFixture;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole offline loop on a PostgreSQL registry, through the commands: apply, training set,
 * materialize-incremental (its watermarks in the database), history, copy. (Serving with hot reload
 * from PostgreSQL is online's PostgresRegistryReloadIT.)
 */
class PostgresRegistryLoopIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        FeaturestoreCli.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result succeed(String... args) {
    Result result = run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }

  @Test
  void runsTheLoopWithTheRegistryInPostgresql() throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir.resolve("repo"));
    String location = PostgresFixture.shared().location(PostgresFixture.uniqueSchema());
    Files.writeString(
        repo.resolve("featurestore.yaml"),
        "project: rides\n"
            + "registry: "
            + location
            + "\n"
            + "offline:\n  spark_master: local[2]\n"
            + "online:\n  redis: "
            + RedisFixture.shared().uri()
            + "\n");
    String r = repo.toString();

    succeed("generate-example-data", "--repo", r, "--now", "2026-11-22T00:00:00Z");
    Result apply = succeed("apply", "--repo", r, "--expect-version", "0");
    assertThat(apply.out()).contains("Applied version 1 (sha256 ");
    Result stale = run("apply", "--repo", r, "--expect-version", "3");
    assertThat(stale.exitCode()).isEqualTo(1);
    assertThat(stale.err())
        .contains(
            "Cannot apply to registry "
                + location.replace(PostgresFixture.shared().password(), "***")
                + ": expected version 3 to be the latest, but the latest is version 1");
    assertThat(stale.out() + stale.err()).doesNotContain(PostgresFixture.shared().password());

    Path output = dir.resolve("training_set");
    succeed(
        "training-set",
        "--repo",
        r,
        "--entities",
        repo.resolve("data/ride_requests.csv").toString(),
        "--feature-service",
        "driver_ranking",
        "--output",
        output.toString());
    assertThat(output.resolve("_manifest.json")).isRegularFile();

    Result materialized =
        succeed("materialize-incremental", "--repo", r, "--end", "2026-11-22T00:00:00Z", "--json");
    JsonNode views = JSON.readTree(materialized.out()).path("views");
    assertThat(views).isNotEmpty();
    Registry registry = FileFeatureRepo.open(repo).registry();
    assertThat(registry.watermarks().all()).isNotEmpty();
    assertThat(repo.resolve(".featurestore/registry")).doesNotExist();

    JsonNode history = JSON.readTree(succeed("registry", "history", "--repo", r, "--json").out());
    assertThat(history).hasSize(1);
    assertThat(history.get(0).path("audit").path("user").asText())
        .isEqualTo(System.getProperty("user.name"));
    assertThat(history.get(0).path("audit").path("summary").asText())
        .startsWith("+entities.customer, +entities.driver");

    Path copy = dir.resolve("copied-registry");
    Result copied = succeed("registry", "copy", "--repo", r, "--to", copy.toString());
    assertThat(copied.out()).startsWith("Copied 1 version(s) with their schemas");
    FileRegistry files = FileRegistry.open(copy);
    assertThat(files.history()).isEqualTo(registry.history());
    assertThat(files.watermarks().all()).isEqualTo(registry.watermarks().all());
  }
}
