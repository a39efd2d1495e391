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

/**
 * With {@code spring.webflux.base-path} set, lookups are served under it (by the Netty route, as by
 * the controller) and not at the bare path.
 */
class BasePathIT {
  private static final String REQUEST =
      "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1001]}}";

  @TempDir static Path root;
  private static OnlineTestApp app;

  @BeforeAll
  static void start() {
    Definitions definitions = ServingDefinitions.definitions(TestDefinitions.uniqueProject());
    String uri = RedisFixture.shared().uri();
    try (OnlineTestStore store = new OnlineTestStore(uri)) {
      store.put(
          definitions,
          "driver_stats",
          List.of(1001L),
          Instant.now().minus(Duration.ofMinutes(1)),
          Arrays.asList(0.5, 0.25f, 42L, null));
    }
    FeatureRepo repo = TestRepos.create(root, definitions, uri, Optional.empty());
    app = OnlineTestApp.start(repo.root(), Map.of("spring.webflux.base-path", "/features/"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void servesLookupsUnderTheBasePath() {
    String body =
        post("/features/get-online-features")
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(body).contains("\"values\":[42]");
  }

  @Test
  void answersTheBarePathWith404() {
    post("/get-online-features").expectStatus().isNotFound();
  }

  private static WebTestClient.ResponseSpec post(String path) {
    return app.client()
        .post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(REQUEST)
        .exchange();
  }
}
