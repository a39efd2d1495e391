/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applies as compare-and-swap: what happens when another apply got in after the plan. */
class PlannerApplyTest {
  @TempDir Path dir;
  FileFeatureRepo repo;
  Planner planner;

  @BeforeEach
  void applyTheExample() throws IOException {
    repo = FileFeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    planner = Planner.of(repo, List.of()).allowingMissingSources();
    planner.apply(planner.plan());
    Path file = dir.resolve("features/driver.yaml");
    Files.writeString(
        file, Files.readString(file).replace("ttl: 2h", "ttl: 1h").replace("ttl: 7d", "ttl: 8d"));
  }

  @Test
  void recordsWhoAppliedAndWhatChanged() {
    Plan plan = planner.plan();
    RegistryVersion version = planner.apply(plan).version();

    assertThat(version.number()).isEqualTo(2);
    assertThat(version.audit()).isPresent();
    assertThat(version.audit().get().summary())
        .isEqualTo("~feature_views.driver_daily, ~feature_views.driver_hourly_stats");
    assertThat(version.audit().get().user()).isNotBlank().isNotEqualTo("unknown");
    assertThat(repo.registry().version(1).audit().get().summary())
        .startsWith("+entities.customer, +entities.driver, +sources.customer_profile_src");
  }

  @Test
  void afterLosingARaceToAVersionItAgreesWithItAppliesItsOwnChangeOnTop() {
    Plan plan = planner.plan();
    // Another apply of the first of the two edits (e.g. CI applying the previous commit).
    repo.registry().apply(TestDefinitions.ridesWithTtl(1));

    Registry.ApplyResult result = planner.apply(plan);

    assertThat(result.created()).isTrue();
    assertThat(result.version().number()).isEqualTo(3);
    assertThat(result.version().definitions()).isEqualTo(plan.definitions());
    assertThat(result.version().audit().get().summary()).isEqualTo("~feature_views.driver_daily");
  }

  @Test
  void afterLosingARaceToAVersionThatChangedTheSameObjectOtherwiseItFailsWithConflict() {
    Plan plan = planner.plan();
    RegistryVersion concurrent = repo.registry().apply(TestDefinitions.ridesWithTtl(5)).version();

    assertThatThrownBy(() -> planner.apply(plan))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessage(
            "Cannot apply to registry "
                + repo.registry().location()
                + ": version 2 (applied at "
                + concurrent.appliedAt()
                + " by unknown on unknown) changed feature_views.driver_hourly_stats since this"
                + " plan was made against version 1, and these definitions differ there; bring that"
                + " change into the repo (run plan to see it) and apply again");
    assertThat(repo.registry().history()).hasSize(2);
  }

  @Test
  void expectVersionFailsUnlessThatVersionIsStillTheLatest() {
    Plan plan = planner.plan();

    assertThatThrownBy(() -> planner.apply(plan, 0))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot apply to registry "
                + repo.registry().location()
                + ": expected no applied version to be the latest, but the latest is version 1"
                + " (applied at ");
    repo.registry().apply(TestDefinitions.ridesWithTtl(1));
    assertThatThrownBy(() -> planner.apply(plan, 1))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("expected version 1 to be the latest, but the latest is version 2");
    assertThat(repo.registry().history()).hasSize(2);

    assertThat(planner.apply(planner.plan(), 2).version().number()).isEqualTo(3);
  }

  @Test
  void theSummaryNamesFiftyObjectsAtMost() {
    List<Change> changes =
        IntStream.range(0, 52)
            .mapToObj(
                i ->
                    new Change(
                        Change.Type.ADDED,
                        ObjectKind.FEATURE_VIEW,
                        "v" + i,
                        List.of(),
                        Optional.empty()))
            .toList();

    assertThat(Planner.summary(changes))
        .startsWith("+feature_views.v0, +feature_views.v1, ")
        .endsWith("+feature_views.v49, and 2 more");
  }
}
