/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.online.testing.OnlineTestStore;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The freshness of each served view, from the registry's real watermarks (a registry folder) and
 * values served from a real Redis: {@code GET /freshness} and the gauges on Prometheus.
 */
class FreshnessIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path root;
  private Definitions definitions;
  private FeatureRepo repo;
  private OnlineTestStore store;
  private OnlineTestApp app;
  private WebTestClient client;
  private Instant now;

  @BeforeEach
  void start() {
    Definitions serving = ServingDefinitions.definitions(TestDefinitions.uniqueProject());
    definitions =
        new Definitions(
            serving.project(),
            serving.entities(),
            serving.sources(),
            serving.featureViews().stream().map(FreshnessIT::expectation).toList(),
            serving.featureServices());
    String uri = RedisFixture.shared().uri();
    store = new OnlineTestStore(uri);
    repo = TestRepos.create(root, definitions, uri, Optional.empty());
    now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // driver_stats: materialized 30 minutes ago, expected within 2h (fresh);
    // driver_profile: 3 hours ago, expected within 1h (stale); driver_customer: no watermark and
    // expected within 1d (stale: nothing shows it is fresh); customer_profile: no expectation.
    repo.registry().watermarks().write("driver_stats", now.minus(Duration.ofMinutes(30)));
    repo.registry().watermarks().write("driver_profile", now.minus(Duration.ofHours(3)));
    app = OnlineTestApp.start(repo.root(), Map.of("featurestore.freshness-interval", "100ms"));
    client = app.client();
  }

  private static FeatureView expectation(FeatureView view) {
    return switch (view.name()) {
      case "driver_stats" -> view.withFreshness(Optional.of(Duration.ofHours(2)));
      case "driver_profile" -> view.withFreshness(Optional.of(Duration.ofHours(1)));
      case "driver_customer" -> view.withFreshness(Optional.of(Duration.ofDays(1)));
      default -> view;
    };
  }

  @AfterEach
  void stop() {
    app.close();
    store.close();
  }

  @Test
  void reportsEachServedViewsWatermarkAgeAgainstItsFreshness() {
    JsonNode freshness = freshness();

    assertThat(freshness.get("registry_version").asLong()).isEqualTo(1);
    assertThat(freshness.get("violations").asInt()).isEqualTo(2);
    assertThat(freshness.get("watermarks_error").isNull()).isTrue();
    // Online views only, by name (driver_history is offline).
    assertThat(freshness.get("views").findValuesAsString("view"))
        .containsExactly("customer_profile", "driver_customer", "driver_profile", "driver_stats");
    JsonNode stats = view(freshness, "driver_stats");
    assertThat(stats.get("watermark").asString())
        .isEqualTo(now.minus(Duration.ofMinutes(30)).toString());
    assertThat(stats.get("watermark_age_seconds").asDouble()).isBetween(1800.0, 1860.0);
    assertThat(stats.get("freshness").asString()).isEqualTo("2h");
    assertThat(stats.get("freshness_seconds").asLong()).isEqualTo(7200);
    assertThat(stats.get("violated").asBoolean()).isFalse();
    assertThat(stats.get("newest_served").isNull()).isTrue();
    JsonNode profile = view(freshness, "driver_profile");
    assertThat(profile.get("watermark_age_seconds").asDouble()).isBetween(10_800.0, 10_860.0);
    assertThat(profile.get("violated").asBoolean()).isTrue();
    JsonNode customer = view(freshness, "driver_customer");
    assertThat(customer.get("watermark").isNull()).isTrue();
    assertThat(customer.get("violated").asBoolean()).isTrue();
    JsonNode unexpected = view(freshness, "customer_profile");
    assertThat(unexpected.get("freshness").isNull()).isTrue();
    assertThat(unexpected.get("violated").asBoolean()).isFalse();
  }

  @Test
  void picksUpANewWatermarkWithoutARequestOrRestart() {
    assertThat(freshness().get("violations").asInt()).isEqualTo(2);

    repo.registry().watermarks().write("driver_profile", Instant.now());
    repo.registry().watermarks().write("driver_customer", Instant.now());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(freshness().get("violations").asInt()).isZero());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(prometheus()).contains("featurestore_online_freshness_violations 0.0"));
  }

  @Test
  void tracksTheNewestEventTimestampServedPerView() {
    Instant older = now.minus(Duration.ofMinutes(20));
    Instant newer = now.minus(Duration.ofMinutes(5));
    store.put(definitions, "driver_stats", List.of(1001L), older, List.of(0.5, 0.25f, 42L, "n"));
    store.put(definitions, "driver_stats", List.of(1002L), newer, List.of(0.5, 0.25f, 43L, "n"));
    lookup("{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001, 1002]}}");
    // A later request serving only the older value leaves the newest one served.
    lookup("{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}");

    JsonNode stats = view(freshness(), "driver_stats");
    assertThat(stats.get("newest_served").asString()).isEqualTo(newer.toString());
    assertThat(stats.get("served_age_seconds").asDouble()).isBetween(300.0, 360.0);
    assertThat(view(freshness(), "driver_profile").get("newest_served").isNull()).isTrue();

    String metrics = prometheus();
    assertThat(gauge(metrics, "featurestore_online_freshness_served_age_seconds", "driver_stats"))
        .isBetween(300.0, 360.0);
    assertThat(
            gauge(metrics, "featurestore_online_freshness_watermark_age_seconds", "driver_stats"))
        .isBetween(1800.0, 1860.0);
    assertThat(gauge(metrics, "featurestore_online_freshness_served_age_seconds", "driver_profile"))
        .isNaN();
    assertThat(metrics).contains("featurestore_online_freshness_violations 2.0");
  }

  private static double gauge(String metrics, String name, String view) {
    String prefix = name + "{view=\"" + view + "\"} ";
    return metrics
        .lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> Double.parseDouble(line.substring(prefix.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + metrics));
  }

  private static JsonNode view(JsonNode freshness, String name) {
    for (JsonNode view : freshness.get("views")) {
      if (view.get("view").asString().equals(name)) {
        return view;
      }
    }
    throw new AssertionError("no view " + name + " in " + freshness);
  }

  private JsonNode freshness() {
    String body =
        client
            .get()
            .uri("/freshness")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  private String prometheus() {
    return client
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private void lookup(String request) {
    client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(request)
        .exchange()
        .expectStatus()
        .isOk();
  }
}
