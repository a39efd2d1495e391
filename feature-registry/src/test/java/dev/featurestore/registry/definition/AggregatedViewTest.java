/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.testing.TestDefinitions;
import org.junit.jupiter.api.Test;

class AggregatedViewTest {
  @Test
  void driverTripsFixtureHasItsAggregationsAsFeatures() {
    FeatureView view = TestDefinitions.driverTrips();

    assertThat(view.isAggregated()).isTrue();
    assertThat(view.featureNames())
        .containsExactly(
            "trips_1h",
            "fare_sum_24h",
            "fare_avg_7d",
            "fare_max_24h",
            "fare_min_1h",
            "fare_std_7d",
            "fare_last_24h",
            "fares_last3_7d",
            "riders_7d");
    assertThat(view.feature("fares_last3_7d").orElseThrow().type())
        .isEqualTo(ValueType.ARRAY_FLOAT64);
    assertThat(view.feature("trips_1h").orElseThrow().type()).isEqualTo(ValueType.INT64);
  }
}
