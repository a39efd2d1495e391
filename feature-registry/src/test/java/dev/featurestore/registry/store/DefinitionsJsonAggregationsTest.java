/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Aggregated views in the stored JSON form of definitions. */
class DefinitionsJsonAggregationsTest {
  @Test
  void anAggregatedViewRoundTrips() {
    Definitions trips = TestDefinitions.tripsProject("trips", Path.of("data/trips"));

    Definitions read = DefinitionsJson.fromJson(DefinitionsJson.toJson(trips));

    assertThat(read).isEqualTo(trips);
    assertThat(read.featureViews().get(0).aggregations())
        .isEqualTo(TestDefinitions.driverTrips().aggregations());
  }

  @Test
  void writesTheAggregationsOfAView() {
    JsonNode view = DefinitionsJson.featureView(TestDefinitions.driverTrips());

    assertThat(view.path("aggregations").path("interval").asText()).isEqualTo("1h");
    JsonNode lastN = view.path("aggregations").path("aggregations").get(7);
    assertThat(lastN.toString())
        .isEqualTo(
            "{\"name\":\"fares_last3_7d\",\"function\":\"last_n\",\"column\":\"fare\","
                + "\"type\":\"float64\",\"window\":\"7d\",\"n\":3,\"description\":\"\"}");
    JsonNode count = view.path("aggregations").path("aggregations").get(0);
    assertThat(count.toString())
        .isEqualTo(
            "{\"name\":\"trips_1h\",\"function\":\"count\",\"column\":null,\"type\":null,"
                + "\"window\":\"1h\",\"description\":\"\"}");
  }

  @Test
  void aPlainViewHasNoAggregationsKeySoOldFilesReadAsBefore() {
    FeatureView plain = TestDefinitions.rides().featureViews().get(0);
    ObjectNode json = DefinitionsJson.featureView(plain);

    assertThat(json.has("aggregations")).isFalse();
    Definitions rides = TestDefinitions.rides();
    Definitions read = DefinitionsJson.fromJson(DefinitionsJson.toJson(rides));
    assertThat(read.featureViews())
        .filteredOn(v -> !v.name().equals("driver_trips"))
        .hasSize(3)
        .allSatisfy(v -> assertThat(v.isAggregated()).isFalse());
    assertThat(read).isEqualTo(rides);
  }
}
