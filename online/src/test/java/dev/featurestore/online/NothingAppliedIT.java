/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Serving a repo with nothing applied: one warning, readiness DOWN (503) so no load balancer routes
 * lookups to it, and UP once a version is applied, without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class NothingAppliedIT {
  private static final String REQUEST =
      "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}";

  @TempDir Path root;

  @Test
  void isNotReadyUntilAVersionIsApplied(CapturedOutput output) {
    String project = TestDefinitions.uniqueProject();
    FeatureRepo repo = TestRepos.unapplied(root, project, RedisFixture.shared().uri());
    String warning =
        "The registry of project '"
            + project
            + "' has no applied version yet: lookups answer 503 and readiness is DOWN until one is"
            + " applied (run `featurestore apply` in the repo)";
    try (OnlineTestApp app = OnlineTestApp.start(repo.root(), Map.of())) {
      WebTestClient client = app.client();
      client
          .get()
          .uri("/actuator/health/readiness")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("DOWN")
          .jsonPath("$.components.registry.status")
          .isEqualTo("DOWN")
          .jsonPath("$.components.registry.details.error")
          .isEqualTo(warning);
      client
          .get()
          .uri("/actuator/health")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.components.registry.status")
          .isEqualTo("DOWN");
      client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
      client
          .get()
          .uri("/health")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectHeader()
          .valueEquals("Retry-After", "1")
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.error_code")
          .isEqualTo("UNAVAILABLE")
          .jsonPath("$.detail")
          .isEqualTo("Cannot serve online features: registry is DOWN (" + warning + ")");
      post(client)
          .expectStatus()
          .isEqualTo(503)
          .expectHeader()
          .valueEquals("Retry-After", "1")
          .expectBody()
          .jsonPath("$.error_code")
          .isEqualTo("UNAVAILABLE")
          .jsonPath("$.detail")
          .isEqualTo(
              "Cannot serve project '"
                  + project
                  + "': its registry has no applied version yet (run `featurestore apply` in the"
                  + " repo)");
      // Once, at startup: not again on every poll of the registry (every 100 ms here).
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(() -> assertThat(count(output.getOut(), warning)).isEqualTo(1));
      assertThat(output.getOut()).contains("WARN").contains(warning);

      TestRepos.apply(repo, ServingDefinitions.definitions(project));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  client
                      .get()
                      .uri("/actuator/health/readiness")
                      .exchange()
                      .expectStatus()
                      .isOk()
                      .expectBody()
                      .jsonPath("$.components.registry.details.version")
                      .isEqualTo(1));
      client.get().uri("/actuator/health").exchange().expectStatus().isOk();
      client.get().uri("/health").exchange().expectStatus().isOk();
      post(client).expectStatus().isOk();
    }
  }

  private static WebTestClient.ResponseSpec post(WebTestClient client) {
    return client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(REQUEST)
        .exchange();
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }
}
