/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --json}, {@code plan --fail-on-breaking} and {@code apply --allow-breaking}. */
class BreakingChangeGateTest {
  @TempDir Path dir;
  String repo;

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RegistryCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeEach
  void applyTheExample() {
    repo = TestRepos.copyOfExample("rides", dir).toString();
    assertThat(run("apply", "--allow-missing-sources", "--repo", repo).exitCode()).isZero();
  }

  private void edit(String file, String from, String to) throws IOException {
    Path path = dir.resolve(file);
    String text = Files.readString(path);
    assertThat(text).contains(from);
    Files.writeString(path, text.replace(from, to));
  }

  @Test
  void failOnBreakingPassesANonBreakingChange() throws IOException {
    edit("features/driver.yaml", "ttl: 2h", "ttl: 3h");

    Result plan = run("plan", "--allow-missing-sources", "--fail-on-breaking", "--repo", repo);

    assertThat(plan.exitCode()).isZero();
    assertThat(plan.err()).isEmpty();
    assertThat(plan.out())
        .contains(
            "      feature_views.driver_hourly_stats.ttl: 2h -> 3h\n",
            "Plan: 0 to add, 1 to change, 0 to remove.\n");
  }

  @Test
  void failOnBreakingExitsThreeAfterPrintingThePlan() throws IOException {
    edit("features/driver.yaml", "ttl: 2h", "ttl: 1h");
    edit("features/driver.yaml", "type: float32", "type: float64");

    Result plan = run("plan", "--allow-missing-sources", "--fail-on-breaking", "--repo", repo);

    assertThat(plan.exitCode()).isEqualTo(3);
    assertThat(plan.out())
        .contains("Plan: 0 to add, 1 to change, 0 to remove; 2 breaking changes.");
    assertThat(plan.err())
        .isEqualTo(
            "Cannot pass the breaking-change gate of project 'rides': 2 breaking changes (apply"
                + " them with featurestore apply --allow-breaking when they are intended)\n"
                + "  feature_views.driver_hourly_stats.features.acc_rate: feature type changed;"
                + " used by feature service 'driver_ranking'\n"
                + "  feature_views.driver_hourly_stats.ttl: TTL shortened: values expire sooner\n");
    assertThat(run("plan", "--allow-missing-sources", "--repo", repo).exitCode()).isZero();
  }

  @Test
  void invalidDefinitionsStillExitOneWithTheGate() throws IOException {
    edit("features/driver.yaml", "type: float32", "type: float");

    Result plan = run("plan", "--allow-missing-sources", "--fail-on-breaking", "--repo", repo);

    assertThat(plan.exitCode()).isEqualTo(1);
    assertThat(plan.out()).isEmpty();
    assertThat(plan.err()).startsWith("Invalid definitions: 1 problem\n");
  }

  @Test
  void applyRefusesBreakingChangesUnlessAllowed() throws IOException {
    edit("features/customer.yaml", "    ttl: 30d\n", "    ttl: 30d\n    online: false\n");

    Result refused = run("apply", "--allow-missing-sources", "--repo", repo);

    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.out())
        .contains("[BREAKING: no longer served online]")
        .doesNotContain("Applied version");
    assertThat(refused.err())
        .isEqualTo(
            "Cannot apply the plan of project 'rides': 1 breaking change (pass --allow-breaking"
                + " to apply them)\n"
                + "  feature_views.customer_profile.online: no longer served online\n");
    FileRegistry registry = FileRegistry.open(dir.resolve(".featurestore/registry"));
    assertThat(registry.history()).hasSize(1);

    Result allowed = run("apply", "--allow-missing-sources", "--allow-breaking", "--repo", repo);

    assertThat(allowed.exitCode()).isZero();
    assertThat(allowed.out()).contains("Applied version 2 (sha256 ");
    assertThat(registry.history()).hasSize(2);
  }

  @Test
  void applyWithoutBreakingChangesNeedsNoFlag() throws IOException {
    edit("features/driver.yaml", "ttl: 2h", "ttl: 3h");

    Result apply = run("apply", "--allow-missing-sources", "--repo", repo);

    assertThat(apply.exitCode()).isZero();
    assertThat(apply.out()).contains("Applied version 2 (sha256 ");
  }

  @Test
  void planJsonPrintsTheDiffAndExitsThreeWithTheGate() throws IOException {
    edit("features/driver.yaml", "ttl: 2h", "ttl: 1h");

    Result plan =
        run("plan", "--allow-missing-sources", "--json", "--fail-on-breaking", "--repo", repo);

    assertThat(plan.exitCode()).isEqualTo(3);
    JsonNode json = new ObjectMapper().readTree(plan.out());
    assertThat(json.get("format_version").asInt()).isEqualTo(1);
    assertThat(json.get("base").get("version").asLong()).isEqualTo(1);
    assertThat(json.get("breaking").asBoolean()).isTrue();
    assertThat(json.get("breaking_changes").toString())
        .isEqualTo(
            "[{\"path\":\"feature_views.driver_hourly_stats.ttl\","
                + "\"reason\":\"TTL shortened: values expire sooner\"}]");
    assertThat(json.get("changes").get(0).get("fields").get(0).toString())
        .isEqualTo(
            "{\"path\":\"feature_views.driver_hourly_stats.ttl\",\"before\":\"2h\","
                + "\"after\":\"1h\",\"breaking\":\"TTL shortened: values expire sooner\"}");
    assertThat(plan.err()).startsWith("Cannot pass the breaking-change gate of project 'rides'");
  }
}
