/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ResolvedFeature;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API other modules use, as the docs show it. */
class FeatureRepoApiTest {
  @TempDir Path dir;

  @Test
  void opensARepoAndReadsTheLatestAndNumberedVersions() {
    FeatureRepo repo = FeatureRepo.open(TestRepos.copyOfExample("rides", dir));
    assertThat(repo.registry().latest()).isEmpty();

    repo.registry().apply(repo.definitions());
    Definitions current = repo.registry().latest().orElseThrow().definitions();

    assertThat(current).isEqualTo(TestDefinitions.rides());
    assertThat(repo.registry().version(1).definitions()).isEqualTo(current);
    assertThat(FeatureRepo.open(dir).registry().history()).hasSize(1);
    assertThat(repo.stateDirectory()).isEqualTo(dir.toAbsolutePath().resolve(".featurestore"));
  }

  @Test
  void latestAppliedSaysToApplyFirstWhenNothingWasApplied() {
    FeatureRepo repo = FeatureRepo.open(TestRepos.copyOfExample("rides", dir));

    assertThatThrownBy(() -> repo.latestApplied("materialize"))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot materialize: the registry of "
                + repo.root()
                + " has no applied version; run `featurestore apply` first");
    Definitions definitions = repo.definitions();
    repo.registry().apply(definitions);
    assertThat(repo.latestApplied("materialize").number()).isEqualTo(1);
  }

  @Test
  void resolvesReferencesAndServicesToTypedFeatures() {
    Definitions rides = TestDefinitions.rides();

    assertThat(
            rides
                .resolveReferences(
                    java.util.List.of("driver_daily:*", "driver_hourly_stats:conv_rate"))
                .stream()
                .map(f -> f.reference() + " " + f.feature().type()))
        .containsExactly(
            "driver_daily:trips_last_7d int64",
            "driver_daily:rating float64",
            "driver_daily:embedding array<float32>",
            "driver_hourly_stats:conv_rate float64");
    ResolvedFeature trips = rides.resolveService("driver_ranking").get(5);
    assertThat(trips.fullName()).isEqualTo("driver_trips__trips_24h");
    assertThat(trips.feature().type()).isEqualTo(ValueType.INT64);
    ResolvedFeature balance = rides.resolveService("driver_ranking").get(7);
    assertThat(balance.fullName()).isEqualTo("customer_profile__current_balance");
    assertThat(balance.feature().type()).isEqualTo(ValueType.FLOAT64);
    assertThatThrownBy(() -> rides.resolveReferences(java.util.List.of("driver_daily:ratin")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot find feature 'ratin' in feature view 'driver_daily' (did you mean 'rating'?)");
  }

  @Test
  void acceptsAFileUriRegistryLocation() throws IOException {
    Path registryDir = dir.resolve("elsewhere/registry");
    Path repoDir = TestRepos.copyOfExample("rides", dir.resolve("repo"));
    Files.writeString(
        repoDir.resolve("featurestore.yaml"),
        "project: rides\nregistry: " + registryDir.toUri() + "\n");

    Registry registry = FeatureRepo.open(repoDir).registry();
    registry.apply(TestDefinitions.rides());

    assertThat(registryDir.resolve("versions/v000001.json")).isRegularFile();
  }
}
