/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.cli.RegistryCliTest.Result;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log, {@code --expect-version} and {@code registry copy} from the command line. */
class RegistryAuditCliTest {
  @TempDir Path dir;
  String repo;

  @BeforeEach
  void applyTheExampleTwice() throws Exception {
    repo = TestRepos.copyOfExample("rides", dir.resolve("repo")).toString();
    assertThat(run("apply", "--allow-missing-sources", "--repo", repo, "--expect-version", "0"))
        .extracting(Result::exitCode)
        .isEqualTo(0);
    Path file = dir.resolve("repo/features/driver.yaml");
    Files.writeString(file, Files.readString(file).replace("ttl: 2h", "ttl: 1h"));
  }

  static Result run(String... args) {
    return RegistryCliTest.run(args);
  }

  @Test
  void historyShowsWhoAppliedAndWhatChanged() throws Exception {
    // The shortened TTL is a breaking change.
    run(
        "apply",
        "--allow-missing-sources",
        "--allow-breaking",
        "--repo",
        repo,
        "--expect-version",
        "1");

    Result history = run("registry", "history", "--repo", repo);
    assertThat(history.exitCode()).isZero();
    String user = System.getProperty("user.name");
    assertThat(history.out().lines())
        .hasSize(3)
        .first()
        .asString()
        .matches("VERSION +APPLIED AT +SHA256 +VIEWS +SERVICES APPLIED BY +COMMIT +CHANGES");
    assertThat(history.out().lines().skip(2).findFirst().orElseThrow())
        .startsWith("2 ")
        .contains(" " + user + "@")
        .endsWith(" -" + " ".repeat(14) + "~feature_views.driver_hourly_stats");

    JsonNode json =
        new ObjectMapper().readTree(run("registry", "history", "--repo", repo, "--json").out());
    assertThat(json).hasSize(2);
    assertThat(json.get(1).path("audit").path("user").asText()).isEqualTo(user);
    assertThat(json.get(1).path("audit").path("summary").asText())
        .isEqualTo("~feature_views.driver_hourly_stats");
    assertThat(json.get(1).path("audit").has("git")).isFalse();
  }

  @Test
  void expectVersionFailsWhenAnotherVersionIsLatestAndAppliesNothing() {
    Result stale = run("apply", "--allow-missing-sources", "--repo", repo, "--expect-version", "0");

    assertThat(stale.exitCode()).isEqualTo(1);
    assertThat(stale.err())
        .contains(
            ": expected no applied version to be the latest, but the latest is version 1 (applied"
                + " at ")
        .contains("; run plan again against it");
    assertThat(FileRegistry.open(dir.resolve("repo/.featurestore/registry")).history()).hasSize(1);
  }

  @Test
  void copyKeepsTheHistoryAndRefusesATargetThatHasVersions() {
    Path target = dir.resolve("copy");
    Result copied = run("registry", "copy", "--repo", repo, "--to", target.toString());

    assertThat(copied.exitCode()).as(copied.err()).isZero();
    FileRegistry source = FileRegistry.open(dir.resolve("repo/.featurestore/registry"));
    assertThat(FileRegistry.open(target).history()).isEqualTo(source.history());

    Result again = run("registry", "copy", "--repo", repo, "--to", target.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err())
        .contains(
            "Cannot copy registry "
                + source.location()
                + " to "
                + FileRegistry.open(target).location()
                + ": the target already holds 1 version(s); copy into an empty registry");
  }
}
