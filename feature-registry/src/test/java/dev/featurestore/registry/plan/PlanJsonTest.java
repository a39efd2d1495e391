/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.testing.TestDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pins the shape of {@code plan --json}: a change here is a change of {@link PlanJson}. */
class PlanJsonTest {
  static final Definitions RIDES = TestDefinitions.rides();
  static final String HASH = "ab".repeat(32);

  /** One entity added, a view's TTL shortened and a description added, the service removed. */
  static Plan plan() {
    List<Entity> entities = new ArrayList<>(RIDES.entities());
    entities.add(TestDefinitions.entity("rider", TestDefinitions.key("rider_id", ValueType.INT64)));
    List<FeatureView> views = new ArrayList<>();
    for (FeatureView v : RIDES.featureViews()) {
      views.add(
          v.name().equals("driver_hourly_stats")
              ? new FeatureView(
                  v.name(),
                  v.entities(),
                  v.source(),
                  Duration.ofHours(1),
                  v.online(),
                  v.features(),
                  v.tags(),
                  "Hourly stats",
                  v.freshness())
              : v);
    }
    Definitions after = new Definitions("rides", entities, RIDES.sources(), views, List.of());
    RegistryVersion base =
        new RegistryVersion(1, HASH, Instant.parse("2026-11-22T08:17:49.659Z"), RIDES);
    return new Plan(
        Optional.of(base),
        after,
        DefinitionsDiff.diff(Optional.of(RIDES), after),
        List.of("Source 'driver_daily_src': no data at data/driver_daily yet."));
  }

  static String compact(String json) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    return mapper.writeValueAsString(mapper.readTree(json));
  }

  @Test
  void writesEveryPartOfThePlanInAFixedShape() throws Exception {
    String expected =
        """
        {
          "format_version": 1,
          "project": "rides",
          "base": {"version": 1, "applied_at": "2026-11-22T08:17:49.659Z", "content_hash": "%s"},
          "summary": {"added": 1, "changed": 1, "removed": 1, "breaking": 2},
          "breaking": true,
          "changes": [
            {"type": "added", "kind": "entity", "name": "rider", "path": "entities.rider",
             "breaking": null, "fields": []},
            {"type": "changed", "kind": "feature_view", "name": "driver_hourly_stats",
             "path": "feature_views.driver_hourly_stats", "breaking": null,
             "fields": [
               {"path": "feature_views.driver_hourly_stats.description", "before": null,
                "after": "Hourly stats", "breaking": null},
               {"path": "feature_views.driver_hourly_stats.ttl", "before": "2h", "after": "1h",
                "breaking": "TTL shortened: values expire sooner"}]},
            {"type": "removed", "kind": "feature_service", "name": "driver_ranking",
             "path": "feature_services.driver_ranking",
             "breaking": "feature service removed: clients requesting it will fail", "fields": []}
          ],
          "breaking_changes": [
            {"path": "feature_views.driver_hourly_stats.ttl",
             "reason": "TTL shortened: values expire sooner"},
            {"path": "feature_services.driver_ranking",
             "reason": "feature service removed: clients requesting it will fail"}
          ],
          "notes": ["Source 'driver_daily_src': no data at data/driver_daily yet."]
        }
        """
            .formatted(HASH);

    // toString() keeps the key order, so this pins the order too.
    assertThat(PlanJson.toJson(plan()).toString()).isEqualTo(compact(expected));
    assertThat(compact(PlanJson.render(plan()))).isEqualTo(compact(expected));
    assertThat(PlanJson.render(plan())).endsWith("}\n");
  }

  @Test
  void aFirstPlanHasNoBaseAndNothingBreaking() throws Exception {
    Plan first =
        new Plan(Optional.empty(), RIDES, DefinitionsDiff.diff(Optional.empty(), RIDES), List.of());

    var json = PlanJson.toJson(first);

    assertThat(json.get("base").isNull()).isTrue();
    assertThat(json.get("summary").toString())
        .isEqualTo("{\"added\":11,\"changed\":0,\"removed\":0,\"breaking\":0}");
    assertThat(json.get("breaking").asBoolean()).isFalse();
    assertThat(json.get("breaking_changes").size()).isZero();
    assertThat(json.get("changes").get(0).toString())
        .isEqualTo(
            "{\"type\":\"added\",\"kind\":\"entity\",\"name\":\"customer\","
                + "\"path\":\"entities.customer\",\"breaking\":null,\"fields\":[]}");
  }

  @Test
  void theGateListsEveryBreakingChange() {
    Plan plan = plan();

    assertThat(plan.isBreaking()).isTrue();
    assertThat(plan.breakingCount()).isEqualTo(2);
    assertThatThrownBy(() -> plan.requireNoBreakingChanges("apply the plan", "pass --x"))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BREAKING_CHANGE))
        .hasMessage(
            "Cannot apply the plan of project 'rides': 2 breaking changes (pass --x)"
                + System.lineSeparator()
                + "  feature_views.driver_hourly_stats.ttl: TTL shortened: values expire sooner"
                + System.lineSeparator()
                + "  feature_services.driver_ranking: feature service removed: clients"
                + " requesting it will fail");
  }

  @Test
  void theGatePassesAPlanWithoutBreakingChanges() {
    Plan first =
        new Plan(Optional.empty(), RIDES, DefinitionsDiff.diff(Optional.empty(), RIDES), List.of());

    first.requireNoBreakingChanges("apply the plan", "pass --x");

    assertThat(first.isBreaking()).isFalse();
    assertThat(first.breakingChanges()).isEmpty();
  }
}
