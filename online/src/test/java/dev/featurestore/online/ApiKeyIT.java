/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The optional API key of featurestore.yaml: required when set, not asked for when not. */
class ApiKeyIT {
  private static final String REQUEST =
      "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}";

  @TempDir static Path root;
  private static OnlineTestApp withKey;
  private static OnlineTestApp withoutKey;

  @BeforeAll
  static void start() {
    withKey = app(Optional.of("s3cret-key"));
    withoutKey = app(Optional.empty());
  }

  private static OnlineTestApp app(Optional<String> apiKey) {
    String project = TestDefinitions.uniqueProject();
    FeatureRepo repo =
        TestRepos.create(
            root.resolve(project),
            ServingDefinitions.definitions(project),
            RedisFixture.shared().uri(),
            apiKey);
    return OnlineTestApp.start(repo.root(), Map.of());
  }

  @AfterAll
  static void stop() {
    withKey.close();
    withoutKey.close();
  }

  @Test
  void rejectsRequestsWithoutTheKey() {
    post(withKey.client(), null)
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo("UNAUTHORIZED")
        .jsonPath("$.detail")
        .isEqualTo(
            "Cannot authenticate: the X-API-Key header is missing; send the API key of"
                + " featurestore.yaml (online.api_key) in it or as 'Authorization: Bearer <key>'");
    withKey.client().get().uri("/registry").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void rejectsAWrongKey() {
    post(withKey.client(), "wrong")
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo(
            "Cannot authenticate: the X-API-Key header does not match the configured API key");
  }

  @Test
  void servesRequestsWithTheKey() {
    post(withKey.client(), "s3cret-key").expectStatus().isOk();
    withKey
        .client()
        .get()
        .uri("/registry")
        .header("X-API-Key", "s3cret-key")
        .exchange()
        .expectStatus()
        .isOk();
  }

  @Test
  void acceptsTheKeyAsABearerToken() {
    withKey
        .client()
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .header("Authorization", "Bearer s3cret-key")
        .bodyValue(REQUEST)
        .exchange()
        .expectStatus()
        .isOk();
    withKey
        .client()
        .get()
        .uri("/registry")
        .header("Authorization", "bearer s3cret-key")
        .exchange()
        .expectStatus()
        .isOk();
    withKey
        .client()
        .get()
        .uri("/registry")
        .header("Authorization", "Bearer wrong")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Cannot authenticate: the bearer token does not match the configured API key");
  }

  @Test
  void leavesHealthOpenForProbes() {
    withKey.client().get().uri("/actuator/health").exchange().expectStatus().isOk();
    // Feast's probe: 200 with no body, and no key asked for.
    withKey.client().get().uri("/health").exchange().expectStatus().isOk().expectBody().isEmpty();
    // The facts of the freshness gauges, which Prometheus scrapes without a key too.
    withKey
        .client()
        .get()
        .uri("/freshness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.registry_version")
        .isEqualTo(1);
  }

  @Test
  void asksForNoKeyWhenNoneIsConfigured() {
    post(withoutKey.client(), null).expectStatus().isOk();
    withoutKey.client().get().uri("/registry").exchange().expectStatus().isOk();
  }

  private static WebTestClient.ResponseSpec post(WebTestClient client, String key) {
    WebTestClient.RequestBodySpec spec =
        client.post().uri("/get-online-features").contentType(MediaType.APPLICATION_JSON);
    if (key != null) {
      spec = spec.header("X-API-Key", key);
    }
    return spec.bodyValue(REQUEST).exchange();
  }
}
