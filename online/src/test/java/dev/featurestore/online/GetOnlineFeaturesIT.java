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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
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

/** The Feast-compatible lookup against a real Redis and the real app on a random port. */
class GetOnlineFeaturesIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Instant FRESH = NOW.minus(Duration.ofMinutes(10));
  private static final Instant STALE = NOW.minus(Duration.ofHours(2));
  private static final Instant OLD = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant SINCE = Instant.parse("2024-01-02T03:04:05.678Z");

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
    store.put(
        definitions, "driver_stats", List.of(1001L), FRESH, Arrays.asList(0.5, 0.25f, 42L, null));
    store.put(definitions, "driver_stats", List.of(1002L), STALE, List.of(0.7, 0.5f, 7L, "late"));
    store.put(
        definitions,
        "driver_profile",
        List.of(1001L),
        OLD,
        List.of(4.5, "Paris", Arrays.asList("a", null), SINCE));
    store.put(
        definitions, "driver_profile", List.of(1002L), OLD, Arrays.asList(3.0, null, null, null));
    store.put(definitions, "driver_customer", List.of(1001L, 501L), FRESH, List.of(0.9));
    store.put(definitions, "customer_profile", List.of(501L), OLD, List.of(2.0));
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
  void answersEveryStatusInFeastShape() {
    JsonNode body =
        post(
            """
            {"features": ["driver_stats:conv_rate", "driver_stats:acc_rate", "driver_stats:trips",
                          "driver_stats:note"],
             "entities": {"driver_id": [1001, 1002, 1003]}}
            """);

    assertThat(body.get("metadata").toString())
        .isEqualTo(
            "{\"feature_names\":[\"driver_id\",\"conv_rate\",\"acc_rate\",\"trips\",\"note\"]}");
    String epoch = "\"1970-01-01T00:00:00Z\"";
    String times = "[\"" + FRESH + "\",\"" + STALE + "\"," + epoch + "]";
    assertThat(body.get("results").get(0).toString())
        .isEqualTo(
            "{\"values\":[1001,1002,1003],\"statuses\":[\"PRESENT\",\"PRESENT\",\"PRESENT\"],"
                + "\"event_timestamps\":["
                + epoch
                + ","
                + epoch
                + ","
                + epoch
                + "]}");
    assertThat(body.get("results").get(1).toString())
        .isEqualTo(
            "{\"values\":[0.5,null,null],"
                + "\"statuses\":[\"PRESENT\",\"OUTSIDE_MAX_AGE\",\"NOT_FOUND\"],"
                + "\"event_timestamps\":"
                + times
                + "}");
    assertThat(body.get("results").get(2).get("values").toString()).isEqualTo("[0.25,null,null]");
    assertThat(body.get("results").get(3).get("values").toString()).isEqualTo("[42,null,null]");
    assertThat(body.get("results").get(4).toString())
        .isEqualTo(
            "{\"values\":[null,null,null],"
                + "\"statuses\":[\"NULL_VALUE\",\"OUTSIDE_MAX_AGE\",\"NOT_FOUND\"],"
                + "\"event_timestamps\":"
                + times
                + "}");
  }

  @Test
  void rendersEachValueTypeAsFeastDoes() {
    JsonNode body =
        post("{\"features\": [\"driver_profile:*\"], \"entities\": {\"driver_id\": [1001, 1002]}}");

    assertThat(body.get("metadata").get("feature_names").toString())
        .isEqualTo("[\"driver_id\",\"rating\",\"city\",\"tags\",\"since\"]");
    JsonNode results = body.get("results");
    assertThat(results.get(1).get("values").toString()).isEqualTo("[4.5,3.0]");
    assertThat(results.get(2).get("values").toString()).isEqualTo("[\"Paris\",null]");
    assertThat(results.get(2).get("statuses").toString()).isEqualTo("[\"PRESENT\",\"NULL_VALUE\"]");
    assertThat(results.get(3).get("values").toString()).isEqualTo("[[\"a\",null],null]");
    // Timestamps as whole epoch seconds (Feast's UNIX_TIMESTAMP): 2024-01-02T03:04:05Z.
    assertThat(results.get(4).get("values").toString()).isEqualTo("[1704164645,null]");
    assertThat(results.get(4).get("event_timestamps").toString())
        .isEqualTo("[\"2020-01-01T00:00:00Z\",\"2020-01-01T00:00:00Z\"]");
  }

  @Test
  void looksUpCompositeKeys() {
    JsonNode body =
        post(
            """
            {"features": ["driver_customer:affinity"],
             "entities": {"customer_id": [501, 502, 501], "driver_id": [1001, 1001, 1002]}}
            """);

    assertThat(body.get("metadata").get("feature_names").toString())
        .isEqualTo("[\"customer_id\",\"driver_id\",\"affinity\"]");
    assertThat(body.get("results").get(0).get("values").toString()).isEqualTo("[501,502,501]");
    assertThat(body.get("results").get(2).toString())
        .isEqualTo(
            "{\"values\":[0.9,null,null],\"statuses\":[\"PRESENT\",\"NOT_FOUND\",\"NOT_FOUND\"],"
                + "\"event_timestamps\":[\""
                + FRESH
                + "\",\"1970-01-01T00:00:00Z\",\"1970-01-01T00:00:00Z\"]}");
  }

  @Test
  void servesAFeatureServiceOverTwoViewsOfOneEntity() {
    JsonNode body =
        post(
            "{\"feature_service\": \"driver_service\", \"entities\": {\"driver_id\": [1001, 1002]}}");

    assertThat(body.get("metadata").get("feature_names").toString())
        .isEqualTo("[\"driver_id\",\"conv_rate\",\"trips\",\"rating\"]");
    JsonNode results = body.get("results");
    assertThat(results.get(1).get("values").toString()).isEqualTo("[0.5,null]");
    assertThat(results.get(1).get("statuses").toString())
        .isEqualTo("[\"PRESENT\",\"OUTSIDE_MAX_AGE\"]");
    assertThat(results.get(2).get("values").toString()).isEqualTo("[42,null]");
    assertThat(results.get(3).get("values").toString()).isEqualTo("[4.5,3.0]");
    assertThat(results.get(3).get("statuses").toString()).isEqualTo("[\"PRESENT\",\"PRESENT\"]");
  }

  @Test
  void prefixesViewNamesWithFullFeatureNames() {
    JsonNode body =
        post(
            """
            {"features": ["driver_stats:conv_rate", "driver_profile:rating", "customer_profile:rating"],
             "entities": {"driver_id": [1001], "customer_id": [501]},
             "full_feature_names": true}
            """);

    assertThat(body.get("metadata").get("feature_names").toString())
        .isEqualTo(
            "[\"driver_id\",\"customer_id\",\"driver_stats__conv_rate\",\"driver_profile__rating\","
                + "\"customer_profile__rating\"]");
    assertThat(body.get("results").get(2).get("values").toString()).isEqualTo("[0.5]");
    assertThat(body.get("results").get(3).get("values").toString()).isEqualTo("[4.5]");
    assertThat(body.get("results").get(4).get("values").toString()).isEqualTo("[2.0]");
  }

  @Test
  void acceptsFeastCurlBodiesWithoutAJsonContentType() {
    String body =
        client
            .post()
            .uri("/get-online-features")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .bodyValue(
                "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(body).contains("\"values\":[42]");
  }

  @Test
  void servesRequestsWithAQueryStringOrAWildcardAccept() {
    String body =
        client
            .post()
            .uri("/get-online-features?source=test")
            .header("Accept", "text/html, application/*;q=0.8")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.APPLICATION_JSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(body).contains("\"values\":[42]");
  }

  @Test
  void answersZeroRowsWithEmptyColumns() {
    JsonNode body =
        post("{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": []}}");

    assertThat(body.toString())
        .isEqualTo(
            "{\"metadata\":{\"feature_names\":[\"driver_id\",\"trips\"]},\"results\":["
                + "{\"values\":[],\"statuses\":[],\"event_timestamps\":[]},"
                + "{\"values\":[],\"statuses\":[],\"event_timestamps\":[]}]}");
  }

  @Test
  void describesTheRegistryBeingServed() {
    JsonNode registry = get("/registry");
    assertThat(registry.get("version").asLong()).isEqualTo(1);
    assertThat(registry.get("feature_views").asInt()).isEqualTo(5);

    assertThat(get("/registry/entities").toString())
        .isEqualTo(
            "[{\"name\":\"customer\",\"join_keys\":[{\"name\":\"customer_id\",\"type\":\"int64\"}],"
                + "\"description\":\"\"},"
                + "{\"name\":\"driver\",\"join_keys\":[{\"name\":\"driver_id\",\"type\":\"int64\"}],"
                + "\"description\":\"\"}]");
    JsonNode view = get("/registry/feature-views/driver_customer");
    assertThat(view.get("join_keys").toString())
        .isEqualTo(
            "[{\"name\":\"driver_id\",\"type\":\"int64\"},{\"name\":\"customer_id\",\"type\":\"int64\"}]");
    assertThat(view.get("ttl_seconds").asLong()).isEqualTo(86_400);
    assertThat(get("/registry/feature-views")).hasSize(5);
    assertThat(get("/registry/feature-services/driver_service").get("features").toString())
        .isEqualTo("[\"driver_stats:conv_rate\",\"driver_stats:trips\",\"driver_profile:rating\"]");
    assertThat(get("/registry/feature-services")).hasSize(1);
    assertThat(get("/registry/entities/driver").get("name").asText()).isEqualTo("driver");

    client
        .get()
        .uri("/registry/feature-views/driver_stat")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Cannot find feature view 'driver_stat' (did you mean 'driver_stats'?)")
        .jsonPath("$.error_code")
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void servesAnOpenApiDescription() {
    JsonNode api = get("/v3/api-docs");
    JsonNode lookup = api.get("paths").get("/get-online-features").get("post");
    assertThat(lookup.get("requestBody").get("content").get("application/json").toString())
        .isEqualTo("{\"schema\":{\"$ref\":\"#/components/schemas/GetOnlineFeaturesRequest\"}}");
    assertThat(lookup.get("responses").get("200").get("content").toString())
        .isEqualTo(
            "{\"application/json\":{\"schema\":"
                + "{\"$ref\":\"#/components/schemas/GetOnlineFeaturesResponse\"}}}");
    JsonNode schemas = api.get("components").get("schemas");
    assertThat(schemas.get("GetOnlineFeaturesRequest").get("properties").propertyNames())
        .containsExactly("features", "feature_service", "entities", "full_feature_names");
    assertThat(schemas.get("GetOnlineFeaturesResponse").get("properties").propertyNames())
        .containsExactly("metadata", "results");
    assertThat(schemas.get("FeatureVector").get("properties").propertyNames())
        .containsExactly("values", "statuses", "event_timestamps");
    assertThat(schemas.get("Metadata").get("properties").propertyNames())
        .containsExactly("feature_names");
    assertThat(api.get("paths").has("/registry/feature-views/{name}")).isTrue();
  }

  @Test
  void publishesMetricsOnPrometheus() {
    post("{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001, 1002]}}");
    client
        .post()
        .uri("/get-online-features")
        .bodyValue("{")
        .exchange()
        .expectStatus()
        .isBadRequest();

    String metrics =
        client
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(metrics)
        .contains("http_server_requests_seconds_bucket{")
        .contains("uri=\"/get-online-features\"")
        .contains("featurestore_online_entities_bucket{")
        .contains("featurestore_online_redis_round_trip_seconds_bucket{")
        .contains("featurestore_online_freshness_seconds_bucket{")
        .contains("view=\"driver_stats\"")
        .contains("featurestore_online_errors_total{code=\"INVALID_ARGUMENT\",status=\"400\"}");
  }

  private static JsonNode post(String body) {
    String response =
        client
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
    return JSON.readTree(response);
  }

  private static JsonNode get(String path) {
    String response =
        client
            .get()
            .uri(path)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(response);
  }
}
