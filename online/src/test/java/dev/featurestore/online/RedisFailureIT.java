/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.featurestore.localredis.RedisServerProcess;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Against a private Redis the test may pause, stop and restart: one round trip per request, 503
 * within the timeout when Redis is slow or down, health DOWN, and recovery without a restart.
 */
class RedisFailureIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SERVICE_REQUEST =
      "{\"feature_service\": \"driver_service\", \"entities\": {\"driver_id\": [1001, 1002, 1003]}}";

  @TempDir static Path root;
  private static RedisServerProcess redis;
  private static Definitions definitions;
  private static OnlineTestApp app;
  private static WebTestClient client;

  @BeforeAll
  static void start() {
    redis = RedisFixture.startPrivate();
    String project = TestDefinitions.uniqueProject();
    definitions = ServingDefinitions.definitions(project);
    writeValues();
    FeatureRepo repo = TestRepos.create(root, definitions, redis.uri(), Optional.empty());
    app = OnlineTestApp.start(repo.root(), Map.of("featurestore.redis-timeout", "200ms"));
    client = app.client();
  }

  @AfterAll
  static void stop() {
    app.close();
    redis.close();
  }

  private static void writeValues() {
    try (OnlineTestStore store = new OnlineTestStore(redis.uri())) {
      store.put(
          definitions,
          "driver_stats",
          List.of(1001L),
          Instant.now(),
          List.of(0.5, 0.25f, 42L, "n"));
      store.put(
          definitions,
          "driver_profile",
          List.of(1001L),
          Instant.now(),
          List.of(4.5, "Paris", List.of(), Instant.now()));
    }
  }

  @Test
  void readsEveryEntityAndViewOfARequestInOneRoundTrip() {
    try (OnlineTestStore store = new OnlineTestStore(redis.uri())) {
      store.resetStats();
      post(SERVICE_REQUEST).expectStatus().isOk();
      String stats = store.info("commandstats");
      // 3 entities x 2 views = 6 keys, one MGET, no other data command.
      assertThat(calls(stats, "mget")).isEqualTo(1);
      assertThat(calls(stats, "get")).isZero();

      store.resetStats();
      String ids =
          IntStream.range(0, 500).mapToObj(Integer::toString).collect(Collectors.joining(","));
      post("{\"feature_service\": \"driver_service\", \"entities\": {\"driver_id\": ["
              + ids
              + "]}}")
          .expectStatus()
          .isOk();
      assertThat(calls(store.info("commandstats"), "mget")).isEqualTo(1);
    }
  }

  @Test
  void answers503WithinTheTimeoutWhenRedisIsSlowAndRecovers() {
    try (OnlineTestStore store = new OnlineTestStore(redis.uri())) {
      store.pauseClients(Duration.ofMillis(1500));
      long start = System.nanoTime();
      JsonNode problem =
          problem(
              post(SERVICE_REQUEST)
                  .expectStatus()
                  .isEqualTo(503)
                  .expectHeader()
                  .valueEquals("Retry-After", "1"));
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

      assertThat(millis).isLessThan(1000);
      assertThat(problem.get("error_code").asText()).isEqualTo("UNAVAILABLE");
      assertThat(problem.get("detail").asText())
          .isEqualTo(
              "Cannot get online features: Redis did not answer within 200 ms at "
                  + redis.uri()
                  + "; retry later");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> post(SERVICE_REQUEST).expectStatus().isOk());
  }

  @Test
  void answers503WhileRedisIsDownAndRecoversWhenItReturns() {
    client.get().uri("/actuator/health").exchange().expectStatus().isOk();
    client.get().uri("/health").exchange().expectStatus().isOk();
    redis.stop();
    try {
      long start = System.nanoTime();
      JsonNode problem =
          problem(
              post(SERVICE_REQUEST)
                  .expectStatus()
                  .isEqualTo(503)
                  .expectHeader()
                  .valueEquals("Retry-After", "1"));
      assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(1000);
      assertThat(problem.get("error_code").asText()).isEqualTo("UNAVAILABLE");
      assertThat(problem.get("detail").asText())
          .startsWith("Cannot get online features: Redis ")
          .endsWith(" at " + redis.uri() + "; retry later");

      String health =
          client
              .get()
              .uri("/actuator/health")
              .exchange()
              .expectStatus()
              .isEqualTo(503)
              .expectHeader()
              .valueEquals("Retry-After", "1")
              .expectBody(String.class)
              .returnResult()
              .getResponseBody();
      JsonNode probe =
          problem(
              client
                  .get()
                  .uri("/health")
                  .exchange()
                  .expectStatus()
                  .isEqualTo(503)
                  .expectHeader()
                  .valueEquals("Retry-After", "1"));
      assertThat(probe.get("error_code").asText()).isEqualTo("UNAVAILABLE");
      assertThat(probe.get("detail").asText())
          .startsWith("Cannot serve online features: redis is DOWN (")
          .doesNotContain("registry");
      JsonNode redisHealth = JSON.readTree(health).get("components").get("redis");
      assertThat(redisHealth.get("status").asText()).isEqualTo("DOWN");
      assertThat(redisHealth.get("details").get("redis").asText()).isEqualTo(redis.uri());
    } finally {
      redis.start();
    }
    writeValues();

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> post(SERVICE_REQUEST).expectStatus().isOk());
    String body =
        post(SERVICE_REQUEST)
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(JSON.readTree(body).get("results").get(1).get("values").toString())
        .isEqualTo("[0.5,null,null]");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                client
                    .get()
                    .uri("/actuator/health")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.components.redis.status")
                    .isEqualTo("UP"));
    client.get().uri("/health").exchange().expectStatus().isOk();
  }

  private static WebTestClient.ResponseSpec post(String body) {
    return client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private static JsonNode problem(WebTestClient.ResponseSpec response) {
    return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
  }

  private static long calls(String commandStats, String command) {
    Matcher matcher =
        Pattern.compile("(?m)^cmdstat_" + command + ":calls=(\\d+),").matcher(commandStats);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
  }
}
