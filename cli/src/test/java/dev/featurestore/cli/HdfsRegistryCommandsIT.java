/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.hadoop.testing.MiniHdfs;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry commands, unchanged, on a repo whose {@code registry:} is on a real (in-process)
 * HDFS: the backend comes from the class path through ServiceLoader.
 */
class HdfsRegistryCommandsIT {
  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RegistryCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void plansAppliesGatesAndReadsTheHistory() throws IOException {
    URI registry = MiniHdfs.freshUri();
    String repo = TestRepos.copyOfExample("rides", dir).toString();
    Path settings = dir.resolve("featurestore.yaml");
    Files.writeString(
        settings,
        Files.readString(settings)
            .replace("registry: .featurestore/registry", "registry: " + registry));

    Result apply = run("apply", "--allow-missing-sources", "--repo", repo);
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("Applied version 1 (sha256 ");

    Path file = dir.resolve("features/driver.yaml");
    Files.writeString(file, Files.readString(file).replace("ttl: 2h", "ttl: 1h"));
    Result gate =
        run("plan", "--allow-missing-sources", "--json", "--fail-on-breaking", "--repo", repo);
    assertThat(gate.exitCode()).isEqualTo(3);
    JsonNode plan = new ObjectMapper().readTree(gate.out());
    assertThat(plan.get("base").get("version").asLong()).isEqualTo(1);
    assertThat(plan.get("breaking_changes").get(0).get("path").asText())
        .isEqualTo("feature_views.driver_hourly_stats.ttl");
    assertThat(run("apply", "--allow-missing-sources", "--repo", repo).exitCode()).isEqualTo(3);

    Result allowed =
        run(
            "apply",
            "--allow-missing-sources",
            "--allow-breaking",
            "--expect-version",
            "1",
            "--repo",
            repo);
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();
    assertThat(allowed.out()).contains("Applied version 2 (sha256 ");

    Result history = run("registry", "history", "--json", "--repo", repo);
    assertThat(history.exitCode()).as(history.err()).isZero();
    JsonNode versions = new ObjectMapper().readTree(history.out());
    assertThat(versions.toString()).contains("\"version\":1", "\"version\":2");
    assertThat(dir.resolve(".featurestore")).doesNotExist();
  }
}
