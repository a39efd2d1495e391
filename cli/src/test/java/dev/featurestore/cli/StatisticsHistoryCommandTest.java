/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.StatisticsRuns;
import dev.featurestore.registry.testing.TestRepos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stats --history VIEW}: a view's runs from the repo's real registry folder. */
class StatisticsHistoryCommandTest {
  private static final String VIEW = "driver_hourly_stats";

  @TempDir Path dir;
  FeatureRepo repo;

  @BeforeEach
  void applyTheExample() {
    String root = TestRepos.copyOfExample("rides", dir.resolve("repo")).toString();
    assertThat(RegistryCliTest.run("apply", "--allow-missing-sources", "--repo", root).exitCode())
        .isZero();
    repo = FeatureRepo.open(Path.of(root));
  }

  private String print(String view, boolean json) {
    StringWriter text = new StringWriter();
    assertThat(StatisticsHistoryCommand.print(new PrintWriter(text), repo, view, json)).isZero();
    return text.toString();
  }

  @Test
  void listsARunPerLineWithTheKeyNumbersOfEachFeature() {
    repo.registry()
        .statistics()
        .append(StatisticsRuns.run(VIEW, "r2", Instant.parse("2026-11-21T07:00:00Z"), 20));
    repo.registry()
        .statistics()
        .append(StatisticsRuns.full(VIEW, "r1", Instant.parse("2026-11-20T07:00:00.123456Z")));

    assertThat(print(VIEW, false))
        .isEqualTo(
            """
            Statistics history of feature view 'driver_hourly_stats': 2 runs, oldest first

            COMPUTED AT              ORIGIN      WINDOW                                                ROWS  VERSION  CHECKS
            2026-11-20T07:00:00.123Z stats       (all) .. 2026-11-20T07:00:00.123456Z                 1,000       12  1 passed, 1 failed (conv_rate: 7.3% nulls, max_null_fraction 5%)
                conv_rate                nulls 7.3%  distinct ~412  mean 0.4995  p50 0.5
                segment                  nulls 0.0%  distinct ~4  top gold (600)  disallowed 10
                recent_trips             nulls 0.5%  distinct ~900  mean 42.5  mean length 3.5
            2026-11-21T07:00:00Z     materialize 2026-11-20T07:00:00Z .. 2026-11-21T07:00:00Z            20        3  -
                conv_rate                nulls 0.0%  distinct ~20  mean 0.5
            """);
  }

  @Test
  void printsEveryRunAsStoredAsJson() {
    StatisticsRun run = StatisticsRuns.full(VIEW, "r1", Instant.parse("2026-11-20T07:00:00Z"));
    repo.registry().statistics().append(run);

    JsonNode json = QualityJson.read(print(VIEW, true), JsonNode.class);
    assertThat(json.get("view").asText()).isEqualTo(VIEW);
    assertThat(json.get("runs")).hasSize(1);
    assertThat(QualityJson.read(json.get("runs").get(0).toString(), StatisticsRun.class))
        .isEqualTo(run);
  }

  @Test
  void saysSoWhenAViewHasNoRunsYet() {
    assertThat(print(VIEW, false))
        .isEqualTo(
            "Feature view 'driver_hourly_stats' has no statistics history yet: 'featurestore"
                + " materialize' and 'featurestore stats' add a run each time they compute its"
                + " statistics.\n");
  }

  @Test
  void anUnknownViewIsNotFoundWithTheClosestName() {
    assertThatThrownBy(() -> print("driver_hourly_stat", false))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessage(
            "Cannot show the statistics history of feature view 'driver_hourly_stat': no such"
                + " view in the registry of "
                + repo.root()
                + " (did you mean 'driver_hourly_stats'?)");
  }
}
