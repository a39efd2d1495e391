/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.online.testing.OnlineTestStore;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Against a real Redis that requires a password: a wrong or missing password is reported as such,
 * with where to fix it, not as an unreachable Redis; the right one serves.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisAuthIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = "s3cret-pass";
  private static final String REQUEST =
      "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}";

  @TempDir static Path root;
  private static RedisServerProcess redis;

  @BeforeAll
  static void start() {
    redis = RedisFixture.startPrivate();
    // As redis-server --requirepass (the fixture waits for an unauthenticated PING first).
    try (OnlineTestStore store = new OnlineTestStore(redis.uri())) {
      store.requirePassword(PASSWORD);
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void reportsAWrongPasswordWithWhereToFixIt(CapturedOutput output) {
    String uri = "redis://:wrong-pass@127.0.0.1:" + redis.port();
    String redacted = "redis://:***@127.0.0.1:" + redis.port();
    try (OnlineTestApp app = app("wrong", uri)) {
      assertRefused(
          app,
          "Cannot get online features: Redis at "
              + redacted
              + " refused the password (WRONGPASS); check the password in online.redis of"
              + " featurestore.yaml (redis://:PASSWORD@host:port)",
          redacted);
    }
    // The startup log says it too, once per connection, and never the password.
    assertThat(output.getOut())
        .contains(
            "Cannot connect to Redis: Redis at "
                + redacted
                + " refused the password (WRONGPASS); check the password in online.redis of"
                + " featurestore.yaml (redis://:PASSWORD@host:port)")
        .doesNotContain("wrong-pass");
  }

  @Test
  void reportsAMissingPasswordWithWhereToFixIt() {
    String uri = "redis://127.0.0.1:" + redis.port();
    try (OnlineTestApp app = app("missing", uri)) {
      assertRefused(
          app,
          "Cannot get online features: Redis at "
              + uri
              + " requires a password (NOAUTH); check the password in online.redis of"
              + " featurestore.yaml (redis://:PASSWORD@host:port)",
          uri);
    }
  }

  @Test
  void servesWithTheRightPassword() {
    try (OnlineTestApp app = app("right", "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port())) {
      post(app.client()).expectStatus().isOk();
      app.client().get().uri("/actuator/health").exchange().expectStatus().isOk();
    }
  }

  private static OnlineTestApp app(String name, String redisUri) {
    String project = TestDefinitions.uniqueProject();
    FeatureRepo repo =
        TestRepos.create(
            root.resolve(name),
            ServingDefinitions.definitions(project),
            redisUri,
            Optional.empty());
    return OnlineTestApp.start(repo.root(), Map.of());
  }

  /**
   * Lookups and health say Redis refused the credentials. Awaited, as each connection of the
   * service (one per event loop) is opened on its own and Lettuce now and then reports a refused
   * handshake as "Connection closed prematurely" without Redis's reply, which cannot be told apart
   * from a lost connection; such a connection is opened again by a request a second later.
   */
  private static void assertRefused(OnlineTestApp app, String detail, String redactedUri) {
    WebTestClient client = app.client();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode problem =
                  JSON.readTree(
                      post(client)
                          .expectStatus()
                          .isEqualTo(503)
                          .expectBody(String.class)
                          .returnResult()
                          .getResponseBody());
              assertThat(problem.get("error_code").asText()).isEqualTo("UNAVAILABLE");
              assertThat(problem.get("detail").asText()).isEqualTo(detail);
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode health =
                  JSON.readTree(
                          client
                              .get()
                              .uri("/actuator/health")
                              .exchange()
                              .expectStatus()
                              .isEqualTo(503)
                              .expectBody(String.class)
                              .returnResult()
                              .getResponseBody())
                      .get("components")
                      .get("redis");
              assertThat(health.get("status").asText()).isEqualTo("DOWN");
              assertThat(health.get("details").get("redis").asText()).isEqualTo(redactedUri);
              assertThat(health.get("details").get("error").asText())
                  .isEqualTo(detail.replace("Cannot get online features:", "Cannot check Redis:"));
            });
  }

  private static WebTestClient.ResponseSpec post(WebTestClient client) {
    return client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(REQUEST)
        .exchange();
  }
}
