/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every kind of bad input gets its own 4xx problem detail, never a 500. */
@ExtendWith(OutputCaptureExtension.class)
class BadRequestIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path root;
  private static OnlineTestApp app;
  private static WebTestClient client;

  @BeforeAll
  static void start() {
    String project = TestDefinitions.uniqueProject();
    FeatureRepo repo =
        TestRepos.create(
            root,
            ServingDefinitions.definitions(project),
            RedisFixture.shared().uri(),
            Optional.empty());
    app = OnlineTestApp.start(repo.root(), Map.of("featurestore.max-request-size", "64KB"));
    client = app.client();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void rejectsMalformedJson() {
    assertProblem(
        "{\"features\": [\"driver_stats:trips\"",
        400,
        "INVALID_ARGUMENT",
        "Cannot parse the request body as JSON at line 1, column 35: Unexpected end-of-input:"
            + " expected close marker for Array");
  }

  @Test
  void rejectsAFieldOfTheWrongShape() {
    assertProblem(
        "{\"features\": [\"driver_stats:trips\"], \"entities\": 5}",
        400,
        "INVALID_ARGUMENT",
        "Cannot parse the request body at line 1, column 50: 'entities' must be an object");
    assertProblem(
        "{\"features\": \"driver_stats:trips\", \"entities\": {\"driver_id\": [1]}}",
        400,
        "INVALID_ARGUMENT",
        "Cannot parse the request body at line 1, column 14: 'features' must be a list");
  }

  @Test
  void rejectsAMissingBody() {
    client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Cannot read the request: the request body is missing; send a JSON object");
  }

  @Test
  void rejectsUnknownFeatureViewsWithTheClosestName() {
    assertProblem(
        request("[\"driver_stat:trips\"]", "{\"driver_id\": [1]}"),
        400,
        "NOT_FOUND",
        "Cannot find feature view 'driver_stat' (did you mean 'driver_stats'?)");
  }

  @Test
  void rejectsUnknownFeaturesWithTheClosestName() {
    assertProblem(
        request("[\"driver_stats:trip\"]", "{\"driver_id\": [1]}"),
        400,
        "NOT_FOUND",
        "Cannot find feature 'trip' in feature view 'driver_stats' (did you mean 'trips'?)");
  }

  @Test
  void rejectsUnknownFeatureServicesWithTheClosestName() {
    assertProblem(
        "{\"feature_service\": \"driver_servise\", \"entities\": {\"driver_id\": [1]}}",
        400,
        "NOT_FOUND",
        "Cannot find feature service 'driver_servise' (did you mean 'driver_service'?)");
  }

  @Test
  void rejectsMalformedFeatureReferences() {
    assertProblem(
        request("[\"driver_stats\"]", "{\"driver_id\": [1]}"),
        400,
        "INVALID_ARGUMENT",
        "Invalid feature reference 'driver_stats': expected view:feature or view:*");
  }

  @Test
  void rejectsRequestsNamingNoFeatures() {
    assertProblem(
        "{\"entities\": {\"driver_id\": [1]}}",
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: 'features' (a list of \"view:feature\") or 'feature_service'"
            + " is required");
    assertProblem(
        "{\"features\": [\"driver_stats:trips\"], \"feature_service\": \"driver_service\","
            + " \"entities\": {\"driver_id\": [1]}}",
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: give either 'features' or 'feature_service', not both");
    assertProblem(
        request("[]", "{\"driver_id\": [1]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: 'features' is empty; name at least one \"view:feature\" or a"
            + " 'feature_service'");
  }

  @Test
  void rejectsRequestsWithoutEntities() {
    assertProblem(
        "{\"features\": [\"driver_stats:trips\"]}",
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: 'entities' is required, e.g. {\"entities\": {\"driver_id\":"
            + " [1001, 1002]}}");
  }

  @Test
  void rejectsMissingJoinKeyColumns() {
    assertProblem(
        request("[\"driver_customer:affinity\"]", "{\"driver_id\": [1]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: missing join key column 'customer_id' (needed by feature"
            + " view 'driver_customer'); the request has [driver_id]");
  }

  @Test
  void rejectsMissingJoinKeyColumnsWithTheClosestName() {
    assertProblem(
        request("[\"driver_stats:trips\"]", "{\"driver_ids\": [1]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: missing join key column 'driver_id' (needed by feature"
            + " view 'driver_stats'); the request has [driver_ids]; is 'driver_ids' meant to be"
            + " 'driver_id'?");
  }

  @Test
  void rejectsNullFeatureReferences() {
    // Once a NullPointerException answered with a 500.
    assertProblem(
        request("[\"driver_stats:trips\", null]", "{\"driver_id\": [1]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: 'features' has null at index 1; every element must be a"
            + " \"view:feature\" string");
    assertProblem(
        "{\"features\": [null], \"feature_service\": \"driver_service\", \"entities\":"
            + " {\"driver_id\": [1]}}",
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: give either 'features' or 'feature_service', not both");
  }

  @Test
  void rejectsColumnsOfUnequalLength() {
    assertProblem(
        request(
            "[\"driver_customer:affinity\"]", "{\"driver_id\": [1, 2], \"customer_id\": [501]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: join key columns have unequal lengths: 'driver_id' has 2"
            + " values but 'customer_id' has 1");
  }

  @Test
  void rejectsKeyValuesOfTheWrongType() {
    assertProblem(
        request("[\"driver_stats:trips\"]", "{\"driver_id\": [1, \"1002\"]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: join key 'driver_id' is int64, but row 1 has \"1002\" (a"
            + " string)");
    assertProblem(
        request("[\"driver_stats:trips\"]", "{\"driver_id\": [1.5]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: join key 'driver_id' is int64, but row 0 has 1.5 (a number"
            + " with a fraction)");
    assertProblem(
        request("[\"customer_profile:rating\"]", "{\"customer_id\": [true]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: join key 'customer_id' is int64, but row 0 has true (a"
            + " boolean)");
    assertProblem(
        request("[\"driver_stats:trips\"]", "{\"driver_id\": [null]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: join key 'driver_id' is null at row 0; every row needs a"
            + " value of type int64");
    assertProblem(
        request("[\"driver_stats:trips\"]", "{\"driver_id\": [99999999999999999999]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: join key 'driver_id' is int64, but row 0 has"
            + " 99999999999999999999, which is out of range");
  }

  @Test
  void rejectsViewsThatAreNotOnline() {
    assertProblem(
        request("[\"driver_history:lifetime_trips\"]", "{\"driver_id\": [1]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: feature view 'driver_history' is not served online (it has"
            + " online: false)");
  }

  @Test
  void rejectsCollidingFeatureNamesWithoutFullNames() {
    assertProblem(
        request(
            "[\"driver_profile:rating\", \"customer_profile:rating\"]",
            "{\"driver_id\": [1], \"customer_id\": [501]}"),
        400,
        "INVALID_ARGUMENT",
        "Cannot get online features: feature name 'rating' is in both feature views"
            + " 'driver_profile' and 'customer_profile'; set \"full_feature_names\": true to get"
            + " view__feature names");
  }

  @Test
  void rejectsTooManyEntities() {
    String ids =
        IntStream.range(0, 1001).mapToObj(Integer::toString).collect(Collectors.joining(","));
    assertProblem(
        request("[\"driver_stats:trips\"]", "{\"driver_id\": [" + ids + "]}"),
        413,
        "LIMIT_EXCEEDED",
        "Cannot get online features: 1001 entity rows exceed the limit of 1000 per request"
            + " (featurestore.max-entities); split the request");
  }

  @Test
  void rejectsBodiesOverTheSizeLimit() {
    String padding = "x".repeat(70_000);
    assertProblem(
        "{\"padding\": \"" + padding + "\", \"features\": [\"driver_stats:trips\"]}",
        413,
        "LIMIT_EXCEEDED",
        "Cannot read the request: the body is larger than the limit of 65536 bytes"
            + " (featurestore.max-request-size)");
  }

  @Test
  void rejectsAJsonArrayAsTheBodyWithoutJavaNames() {
    assertProblem(
        "[{\"features\": [\"driver_stats:trips\"]}]",
        400,
        "INVALID_ARGUMENT",
        "Cannot parse the request body at line 1, column 1: it must be a JSON object, e.g."
            + " {\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}");
    assertProblem(
        "\"driver_stats:trips\"",
        400,
        "INVALID_ARGUMENT",
        "Cannot parse the request body at line 1, column 1: it must be a JSON object, e.g."
            + " {\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}");
  }

  @Test
  void rejectsStreamedBodiesOverTheSizeLimitAndLogsNothing(CapturedOutput output) {
    int logged = output.getOut().length();
    // No Content-Length: the body arrives in chunks and the limit is checked while reading.
    DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
    Flux<DataBuffer> chunks =
        Flux.range(0, 10)
            .<DataBuffer>map(i -> buffers.wrap(("[" + "x".repeat(10_000) + "]").getBytes(UTF_8)))
            .startWith(buffers.wrap("{\"padding\": ".getBytes(UTF_8)));
    client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .body(chunks, DataBuffer.class)
        .exchange()
        .expectStatus()
        .isEqualTo(413)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo("LIMIT_EXCEEDED")
        .jsonPath("$.detail")
        .isEqualTo(
            "Cannot read the request: the body is larger than the limit of 65536 bytes"
                + " (featurestore.max-request-size)");
    // A bad request is the client's business: not a line in the server log (it once logged two
    // IllegalReferenceCountException stack traces, from a buffer released twice), however late.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(output.getOut().substring(logged)).isEmpty());
  }

  @Test
  void answersOtherMethodsWith405() {
    client
        .get()
        .uri("/get-online-features")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader()
        .valueEquals("Allow", "POST")
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo("METHOD_NOT_ALLOWED")
        .jsonPath("$.detail")
        .isEqualTo("Cannot serve GET /get-online-features: it takes POST with a JSON body");
  }

  @Test
  void answersOptionsWithTheAllowedMethods() {
    client
        .options()
        .uri("/get-online-features")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Allow", "POST,OPTIONS");
  }

  @Test
  void answersAcceptHeadersWithoutJsonWith406() {
    for (String accept : new String[] {"text/csv", "application/xml, text/*"}) {
      client
          .post()
          .uri("/get-online-features")
          .header("Accept", accept)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(request("[\"driver_stats:trips\"]", "{\"driver_id\": [1001]}"))
          .exchange()
          .expectStatus()
          .isEqualTo(406)
          .expectBody(String.class)
          // The client takes no JSON, so no problem detail either; and never a stack trace.
          .value(body -> assertThat(body == null ? "" : body).doesNotContain("Exception"));
    }
  }

  @Test
  void ignoresAcceptHeadersThatDoNotParse() {
    client
        .post()
        .uri("/get-online-features")
        .header("Accept", "not a media type")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(request("[\"driver_stats:trips\"]", "{\"driver_id\": [1001]}"))
        .exchange()
        .expectStatus()
        .isOk();
    // WebFlux's endpoints too: their errors are still problem details.
    client
        .get()
        .uri("/registry/feature-views/driver_stat")
        .header("Accept", "not a media type")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Cannot find feature view 'driver_stat' (did you mean 'driver_stats'?)");
  }

  @Test
  void answersProblemDetailsWhateverTheAcceptHeader() {
    // WebFlux's negotiation once picked text/event-stream for a problem detail here.
    client
        .get()
        .uri("/no-such-endpoint")
        .header("Accept", "text/*;q=0.5, application/json;q=0.1")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void answersUnknownPathsWithAProblemDetail() {
    client
        .get()
        .uri("/no-such-endpoint")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Cannot find GET /no-such-endpoint; the endpoints are described at /v3/api-docs")
        .jsonPath("$.error_code")
        .isEqualTo("NOT_FOUND");
  }

  private static String request(String features, String entities) {
    return "{\"features\": " + features + ", \"entities\": " + entities + "}";
  }

  private static void assertProblem(String body, int status, String code, String detail) {
    String response =
        client
            .post()
            .uri("/get-online-features")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    JsonNode problem = JSON.readTree(response);
    assertThat(problem.get("detail").asText()).isEqualTo(detail);
    assertThat(problem.get("error_code").asText()).isEqualTo(code);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("instance").asText()).isEqualTo("/get-online-features");
    assertThat(response).doesNotContain("Exception").doesNotContain("at dev.");
  }
}
