/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.online.testing.OnlineTestStore;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The details of Feast's REST API that Feast's clients rely on (Feast's remote online store, its
 * request model, plain curl), against the real app and a real Redis.
 */
class FeastRequestDetailsIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant FRESH =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));

  @TempDir static Path root;
  private static OnlineTestStore store;
  private static OnlineTestApp app;
  private static WebTestClient client;

  @BeforeAll
  static void start() {
    String project = TestDefinitions.uniqueProject();
    Definitions definitions = ServingDefinitions.definitions(project);
    String uri = RedisFixture.shared().uri();
    store = new OnlineTestStore(uri);
    // Written with the shared codec, as the materializer writes them.
    store.put(definitions, "driver_stats", List.of(1001L), FRESH, List.of(0.5, 0.25f, 42L, "a"));
    store.put(
        definitions,
        "driver_stats",
        List.of(2001L),
        FRESH,
        List.of(Double.NaN, Float.POSITIVE_INFINITY, 1L, "nan"));
    store.put(
        definitions,
        "driver_stats",
        List.of(2002L),
        FRESH,
        List.of(Double.NEGATIVE_INFINITY, Float.NaN, 2L, "inf"));
    store.put(
        definitions,
        "driver_profile",
        List.of(1001L),
        FRESH,
        List.of(4.5, "Paris", List.of(), FRESH));
    FeatureRepo repo = TestRepos.create(root, definitions, uri, Optional.empty());
    app = OnlineTestApp.start(repo.root(), Map.of());
    client = app.client();
  }

  @AfterAll
  static void stop() {
    app.close();
    store.close();
  }

  @Test
  void ignoresEntityColumnsThatAreNoJoinKeyOfTheViewsAndCountsThem() {
    double before = ignoredColumns();
    // One shared entity dict: another service's key, request data, even a null or a short column.
    JsonNode body =
        post(
            """
            {"features": ["driver_stats:trips"],
             "entities": {"customer_id": [501], "driver_id": [1001, 1003],
                          "request_amount": ["a", "b", "c"], "unused": null}}
            """);

    assertThat(body.get("metadata").toString())
        .isEqualTo("{\"feature_names\":[\"driver_id\",\"trips\"]}");
    assertThat(body.get("results").get(0).get("values").toString()).isEqualTo("[1001,1003]");
    assertThat(body.get("results").get(1).get("values").toString()).isEqualTo("[42,null]");
    assertThat(body.get("results").get(1).get("statuses").toString())
        .isEqualTo("[\"PRESENT\",\"NOT_FOUND\"]");
    assertThat(ignoredColumns() - before).isEqualTo(3.0);
    assertThat(
            client
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody())
        .containsPattern("(?m)^featurestore_online_ignored_entity_columns_total(\\{.*\\})? ");
  }

  @Test
  void stillRejectsAMissingJoinKeyAmongIgnoredColumns() {
    String problem =
        client
            .post()
            .uri("/get-online-features")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                "{\"features\": [\"driver_customer:affinity\"], \"entities\": {\"driver_id\":"
                    + " [1001], \"request_amount\": [3]}}")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(JSON.readTree(problem).get("detail").asText())
        .isEqualTo(
            "Cannot get online features: missing join key column 'customer_id' (needed by feature"
                + " view 'driver_customer'); the request has [driver_id, request_amount]");
  }

  @Test
  void letsAFeatureServiceWinOverAnEmptyFeatureList() {
    // Feast's own request model serializes "features": [] next to a feature service.
    JsonNode body =
        post(
            """
            {"features": [], "feature_service": "driver_service",
             "entities": {"driver_id": [1001]}}
            """);

    assertThat(body.get("metadata").toString())
        .isEqualTo("{\"feature_names\":[\"driver_id\",\"conv_rate\",\"trips\",\"rating\"]}");
    assertThat(body.get("results").get(1).get("values").toString()).isEqualTo("[0.5]");
    assertThat(body.get("results").get(2).get("values").toString()).isEqualTo("[42]");
    assertThat(body.get("results").get(3).get("values").toString()).isEqualTo("[4.5]");
  }

  @Test
  void ignoresUnknownRequestFields() {
    // Fields of Feast's request model (and its proto) this server has no use for, and others.
    JsonNode body =
        post(
            """
            {"features": ["driver_stats:trips"], "entities": {"driver_id": [1001]},
             "full_feature_names": true,
             "include_feature_view_version_metadata": true,
             "request_context": {"amount": [1.5]},
             "project": "ignored", "x": [null, {"y": 1}]}
            """);

    // The same answer as without them: Feast's REST answer has feature names only in its
    // metadata, with or without include_feature_view_version_metadata.
    assertThat(body.get("metadata").toString())
        .isEqualTo("{\"feature_names\":[\"driver_id\",\"driver_stats__trips\"]}");
    assertThat(body.get("results").get(1).get("values").toString()).isEqualTo("[42]");
    assertThat(body.get("results")).hasSize(2);
  }

  @Test
  void encodesNanAndInfinitiesAsTheProto3JsonMappingDoes() {
    String body =
        postRaw(
            "{\"features\": [\"driver_stats:conv_rate\", \"driver_stats:acc_rate\"],"
                + " \"entities\": {\"driver_id\": [2001, 2002, 1001]}}");

    JsonNode results = JSON.readTree(body).get("results");
    assertThat(results.get(1).get("values").toString()).isEqualTo("[\"NaN\",\"-Infinity\",0.5]");
    assertThat(results.get(2).get("values").toString()).isEqualTo("[\"Infinity\",\"NaN\",0.25]");
    assertThat(results.get(1).get("statuses").toString())
        .isEqualTo("[\"PRESENT\",\"PRESENT\",\"PRESENT\"]");
    // Strict JSON: no bare NaN or Infinity token anywhere.
    assertThat(body.replace("\"NaN\"", "").replace("\"Infinity\"", "").replace("\"-Infinity\"", ""))
        .doesNotContain("NaN")
        .doesNotContain("Infinity");
  }

  private static double ignoredColumns() {
    return app.context()
        .getBean(MeterRegistry.class)
        .counter("featurestore.online.ignored_entity_columns")
        .count();
  }

  private static JsonNode post(String body) {
    return JSON.readTree(postRaw(body));
  }

  private static String postRaw(String body) {
    return client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}
