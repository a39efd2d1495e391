/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan's changes to an aggregated view: what changes its stored tiles is breaking. */
class AggregationsDiffTest {
  private static final Definitions TRIPS =
      TestDefinitions.tripsProject("trips", Path.of("data/trips"));

  private static Definitions with(Duration interval, List<Aggregation> aggregations) {
    FeatureView view =
        TestDefinitions.driverTrips()
            .withAggregations(Optional.of(new Aggregations(interval, aggregations)));
    return new Definitions(
        TRIPS.project(), TRIPS.entities(), TRIPS.sources(), List.of(view), List.of());
  }

  private static List<Aggregation> aggregations() {
    return new ArrayList<>(
        TestDefinitions.driverTrips().aggregations().orElseThrow().aggregations());
  }

  private static Aggregation replace(Aggregation a, AggregationFunction function, Duration window) {
    return new Aggregation(
        a.name(), function, a.column(), a.columnType(), window, a.n(), a.description());
  }

  @Test
  void changedFunctionWindowAndIntervalAreBreaking() {
    List<Aggregation> changed = aggregations();
    changed.set(1, replace(changed.get(1), AggregationFunction.SUM, Duration.ofHours(48)));
    changed.set(3, replace(changed.get(3), AggregationFunction.MIN, Duration.ofHours(24)));

    assertThat(DefinitionsDiffTest.lines(TRIPS, with(Duration.ofMinutes(30), changed)))
        .containsExactly(
            "~ feature_views.driver_trips",
            "    feature_views.driver_trips.aggregation_interval: 1h -> 30m  [BREAKING: aggregation interval changed: the stored tiles are of the old size; materialize the view again]",
            "    feature_views.driver_trips.features.fare_max_24h.function: max -> min  [BREAKING: aggregation function changed: stored tiles and values hold the old aggregation (no feature service uses it)]",
            "    feature_views.driver_trips.features.fare_sum_24h.window: 1d -> 2d  [BREAKING: aggregation window changed: stored tiles and values hold the old aggregation (no feature service uses it)]");
  }

  @Test
  void anUnchangedAggregatedViewHasNoChanges() {
    assertThat(DefinitionsDiff.diff(Optional.of(TRIPS), TRIPS)).isEmpty();
  }
}
