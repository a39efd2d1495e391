/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.testing.TestDefinitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DefinitionsDiffTest {
  static final Definitions RIDES = TestDefinitions.rides();

  static Definitions withView(String name, UnaryOperator<FeatureView> change) {
    List<FeatureView> views = new ArrayList<>();
    for (FeatureView view : RIDES.featureViews()) {
      views.add(view.name().equals(name) ? change.apply(view) : view);
    }
    return new Definitions(
        "rides", RIDES.entities(), RIDES.sources(), views, RIDES.featureServices());
  }

  static FeatureView copy(
      FeatureView v, Duration ttl, List<Feature> features, String source, List<String> entities) {
    return new FeatureView(
        v.name(),
        entities,
        source,
        ttl,
        v.online(),
        features,
        v.tags(),
        v.description(),
        v.freshness());
  }

  static List<String> lines(Definitions before, Definitions after) {
    List<String> lines = new ArrayList<>();
    for (Change change : DefinitionsDiff.diff(Optional.of(before), after)) {
      lines.add(
          change.type().symbol()
              + " "
              + change.path()
              + change.breaking().map(b -> " [BREAKING: " + b + "]").orElse(""));
      change.fields().forEach(f -> lines.add("    " + f));
    }
    return lines;
  }

  @Test
  void firstApplyAddsEverything() {
    List<Change> changes = DefinitionsDiff.diff(Optional.empty(), RIDES);

    assertThat(changes)
        .extracting(c -> c.type() + " " + c.path())
        .containsExactly(
            "ADDED entities.customer",
            "ADDED entities.driver",
            "ADDED sources.customer_profile_src",
            "ADDED sources.driver_daily_src",
            "ADDED sources.driver_hourly_stats_src",
            "ADDED sources.trips_src",
            "ADDED feature_views.customer_profile",
            "ADDED feature_views.driver_daily",
            "ADDED feature_views.driver_hourly_stats",
            "ADDED feature_views.driver_trips",
            "ADDED feature_services.driver_ranking");
    assertThat(changes).noneMatch(Change::isBreaking);
  }

  @Test
  void equalDefinitionsHaveNoChanges() {
    assertThat(DefinitionsDiff.diff(Optional.of(RIDES), TestDefinitions.rides())).isEmpty();
  }

  @Test
  void shorterTtlIsBreakingAndLongerIsNot() {
    assertThat(
            lines(
                RIDES,
                withView(
                    "driver_hourly_stats",
                    v -> copy(v, Duration.ofHours(1), v.features(), v.source(), v.entities()))))
        .containsExactly(
            "~ feature_views.driver_hourly_stats",
            "    feature_views.driver_hourly_stats.ttl: 2h -> 1h  [BREAKING: TTL shortened:"
                + " values expire sooner]");
    assertThat(
            lines(
                RIDES,
                withView(
                    "driver_hourly_stats",
                    v -> copy(v, Duration.ZERO, v.features(), v.source(), v.entities()))))
        .containsExactly(
            "~ feature_views.driver_hourly_stats",
            "    feature_views.driver_hourly_stats.ttl: 2h -> 0");
    Definitions unlimited =
        withView(
            "driver_hourly_stats",
            v -> copy(v, Duration.ZERO, v.features(), v.source(), v.entities()));
    assertThat(lines(unlimited, RIDES))
        .containsExactly(
            "~ feature_views.driver_hourly_stats",
            "    feature_views.driver_hourly_stats.ttl: 0 -> 2h  [BREAKING: TTL shortened: values"
                + " expire sooner]");
  }

  @Test
  void featureTypeChangeAndRemovalAreBreakingAndNameTheServices() {
    Definitions after =
        withView(
            "driver_hourly_stats",
            v ->
                copy(
                    v,
                    v.ttl(),
                    List.of(
                        Feature.of("conv_rate", ValueType.FLOAT32)
                            .withChecks(v.features().get(0).checks()),
                        v.features().get(2),
                        Feature.of("new_one", ValueType.STRING)),
                    v.source(),
                    v.entities()));
    // acc_rate is used by driver_ranking, so the service must drop it to stay valid.
    after =
        new Definitions(
            "rides",
            after.entities(),
            after.sources(),
            after.featureViews(),
            List.of(
                TestDefinitions.service(
                    "driver_ranking", "driver_hourly_stats:conv_rate", "driver_daily:*")));

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ feature_views.driver_hourly_stats",
            "    feature_views.driver_hourly_stats.features.acc_rate: removed (was float32) "
                + " [BREAKING: feature removed; used by feature service 'driver_ranking']",
            "    feature_views.driver_hourly_stats.features.conv_rate: float64 -> float32 "
                + " [BREAKING: feature type changed; used by feature service 'driver_ranking']",
            "    feature_views.driver_hourly_stats.features.conv_rate.description: removed (was"
                + " Share of offers the driver accepted)",
            "    feature_views.driver_hourly_stats.features.new_one: added string",
            "~ feature_services.driver_ranking",
            "    feature_services.driver_ranking.description: removed (was Features of the driver"
                + " ranking model)",
            "    feature_services.driver_ranking.features: [driver_hourly_stats:conv_rate,"
                + " driver_hourly_stats:acc_rate, driver_daily:*, driver_trips:trips_24h,"
                + " driver_trips:fare_avg_7d, customer_profile:current_balance]"
                + " -> [driver_hourly_stats:conv_rate, driver_daily:*]  [BREAKING: removes"
                + " driver_hourly_stats:acc_rate, driver_trips:trips_24h, driver_trips:fare_avg_7d,"
                + " customer_profile:current_balance from the service's output]");
  }

  @Test
  void reorderedFeaturesAreAChange() {
    Definitions after =
        withView(
            "driver_daily",
            v ->
                copy(
                    v,
                    v.ttl(),
                    List.of(v.features().get(2), v.features().get(0), v.features().get(1)),
                    v.source(),
                    v.entities()));

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ feature_views.driver_daily",
            "    feature_views.driver_daily.features: [trips_last_7d, rating, embedding] ->"
                + " [embedding, trips_last_7d, rating]");
  }

  @Test
  void removingAnUnusedFeatureSaysNoServiceUsesIt() {
    Definitions after =
        withView(
            "customer_profile",
            v -> copy(v, v.ttl(), v.features().subList(0, 3), v.source(), v.entities()));

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ feature_views.customer_profile",
            "    feature_views.customer_profile.features.segment: removed (was string) "
                + " [BREAKING: feature removed (no feature service uses it)]");
  }

  @Test
  void joinKeyChangesAreBreaking() {
    List<Entity> entities =
        List.of(
            new Entity(
                "driver",
                List.of(new JoinKey("driver_id", ValueType.STRING)),
                "A driver on the platform"),
            TestDefinitions.customer());
    Definitions after =
        new Definitions(
            "rides", entities, RIDES.sources(), RIDES.featureViews(), RIDES.featureServices());

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ entities.driver",
            "    entities.driver.join_keys: {driver_id: int64} -> {driver_id: string}  [BREAKING:"
                + " join keys changed: online keys and training joins change]");
  }

  @Test
  void sourceAndEntityChangesOfAViewAreBreaking() {
    Definitions after =
        withView(
            "driver_daily",
            v ->
                copy(
                    v,
                    v.ttl(),
                    v.features(),
                    "driver_hourly_stats_src",
                    List.of("driver", "customer")));

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ feature_views.driver_daily",
            "    feature_views.driver_daily.entities: [driver] -> [driver, customer]  [BREAKING:"
                + " entities changed: the view's key changes]",
            "    feature_views.driver_daily.source: driver_daily_src -> driver_hourly_stats_src "
                + " [BREAKING: source changed: stored values came from the old source]");
  }

  @Test
  void removedViewsAndServicesAreBreakingAddedObjectsAndSourceEditsAreNot() {
    ParquetSource moved =
        new ParquetSource(
            "customer_profile_src",
            "s3://bucket/customer_profile",
            "ts",
            Optional.of("created"),
            "moved");
    FeatureView renamed =
        new FeatureView(
            "customer_profile_v2",
            List.of("customer"),
            "customer_profile_src",
            Duration.ofDays(30),
            true,
            List.of(new Feature("balance", ValueType.FLOAT64, "current_balance", "in EUR")),
            Map.of("owner", "x"),
            "");
    List<FeatureView> views = new ArrayList<>(RIDES.featureViews());
    views.removeIf(v -> v.name().equals("customer_profile"));
    views.add(renamed);
    Definitions after =
        new Definitions(
            "rides",
            RIDES.entities(),
            List.of(RIDES.sources().get(1), RIDES.sources().get(2), RIDES.sources().get(3), moved),
            views,
            List.of(FeatureService_of("ranking_v2", "customer_profile_v2:*")));

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ sources.customer_profile_src",
            "    sources.customer_profile_src.created_timestamp_field: added created",
            "    sources.customer_profile_src.description: added moved",
            "    sources.customer_profile_src.parquet: data/customer_profile ->"
                + " s3://bucket/customer_profile",
            "    sources.customer_profile_src.timestamp_field: event_timestamp -> ts",
            "- feature_views.customer_profile [BREAKING: feature view removed; used by feature"
                + " service 'driver_ranking']",
            "+ feature_views.customer_profile_v2",
            "- feature_services.driver_ranking [BREAKING: feature service removed: clients"
                + " requesting it will fail]",
            "+ feature_services.ranking_v2");
  }

  @Test
  void onlineOffIsBreakingAndTagsAndDescriptionsAreListedFieldByField() {
    Definitions after =
        withView(
            "driver_daily",
            v ->
                new FeatureView(
                    v.name(),
                    v.entities(),
                    v.source(),
                    v.ttl(),
                    false,
                    List.of(
                        v.features().get(0),
                        new Feature(
                            "rating",
                            ValueType.FLOAT64,
                            "rating",
                            "stars",
                            v.features().get(1).checks()),
                        v.features().get(2)),
                    Map.of("owner", "growth-team", "tier", "1"),
                    "daily"));

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ feature_views.driver_daily",
            "    feature_views.driver_daily.description: added daily",
            "    feature_views.driver_daily.features.rating.description: added stars",
            "    feature_views.driver_daily.features.rating.source_column: removed (was"
                + " driver_rating)",
            "    feature_views.driver_daily.online: true -> false  [BREAKING: no longer served"
                + " online]",
            "    feature_views.driver_daily.tags.owner: ranking-team -> growth-team",
            "    feature_views.driver_daily.tags.tier: added 1");
  }

  @Test
  void turningOnPushesIsAChange() {
    List<ParquetSource> sources = new ArrayList<>();
    for (ParquetSource s : RIDES.sources()) {
      sources.add(
          s.name().equals("driver_daily_src")
              ? new ParquetSource(
                  s.name(),
                  s.path(),
                  s.timestampField(),
                  s.createdTimestampField(),
                  s.description(),
                  true)
              : s);
    }
    Definitions after =
        new Definitions(
            "rides", RIDES.entities(), sources, RIDES.featureViews(), RIDES.featureServices());

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ sources.driver_daily_src", "    sources.driver_daily_src.push: added true");
  }

  @SuppressWarnings("MethodName")
  private static FeatureService FeatureService_of(String name, String... references) {
    return TestDefinitions.service(name, references);
  }

  @Test
  void aChangedCheckOrFreshnessIsANonBreakingFieldChange() {
    Definitions after =
        withView(
            "driver_hourly_stats",
            v -> {
              List<Feature> features = new ArrayList<>();
              for (Feature f : v.features()) {
                features.add(
                    f.name().equals("conv_rate")
                        ? f.withChecks(TestDefinitions.checks(0.0, 0.95, null))
                        : f.name().equals("avg_daily_trips")
                            ? f.withChecks(
                                new dev.featurestore.registry.definition.FeatureChecks(
                                    java.util.OptionalDouble.of(0),
                                    java.util.OptionalDouble.empty(),
                                    java.util.OptionalDouble.empty(),
                                    List.of("1", "2")))
                            : f);
              }
              return copy(v, v.ttl(), features, v.source(), v.entities())
                  .withFreshness(Optional.of(Duration.ofMinutes(30)));
            });

    assertThat(lines(RIDES, after))
        .containsExactly(
            "~ feature_views.driver_hourly_stats",
            "    feature_views.driver_hourly_stats.features.avg_daily_trips.checks.allowed: added"
                + " [1, 2]",
            "    feature_views.driver_hourly_stats.features.conv_rate.checks.max: 1 -> 0.95",
            "    feature_views.driver_hourly_stats.features.conv_rate.checks.max_null_fraction:"
                + " removed (was 0.01)",
            "    feature_views.driver_hourly_stats.freshness: 2h -> 30m");
    assertThat(DefinitionsDiff.diff(Optional.of(RIDES), after)).noneMatch(Change::isBreaking);
  }
}
