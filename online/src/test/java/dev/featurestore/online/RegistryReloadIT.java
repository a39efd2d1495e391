/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.online.testing.OnlineTestStore;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.hadoop.testing.MiniHdfs;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.PostgresFixture;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A newly applied registry version is served without a restart, from a registry folder, a
 * PostgreSQL registry and a registry on a real (in-process) HDFS; old values still decode.
 */
class RegistryReloadIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String REQUEST =
      "{\"features\": [\"driver_stats:trips\", \"driver_stats:surge\"],"
          + " \"entities\": {\"driver_id\": [1001]}}";

  @TempDir Path root;
  private String project;
  private FeatureRepo repo;
  private OnlineTestStore store;
  private OnlineTestApp app;
  private WebTestClient client;

  private void start(String backend) {
    project = TestDefinitions.uniqueProject();
    Definitions v1 = ServingDefinitions.definitions(project);
    String uri = RedisFixture.shared().uri();
    store = new OnlineTestStore(uri);
    store.put(v1, "driver_stats", List.of(1001L), Instant.now(), List.of(0.5, 0.25f, 42L, "n"));
    repo =
        switch (backend) {
          case "postgresql" ->
              TestRepos.createWithRegistry(
                  root, v1, PostgresFixture.shared().location(PostgresFixture.uniqueSchema()), uri);
          case "hdfs" ->
              TestRepos.createWithRegistry(root, v1, MiniHdfs.freshUri().toString(), uri);
          default -> TestRepos.create(root, v1, uri, Optional.empty());
        };
    app = OnlineTestApp.start(repo.root(), Map.of());
    client = app.client();
  }

  @AfterEach
  void stop() {
    app.close();
    store.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "postgresql", "hdfs"})
  void servesANewVersionWithoutARestart(String backend) {
    start(backend);
    post()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Cannot find feature 'surge' in feature view 'driver_stats'");

    Definitions v2 =
        ServingDefinitions.definitions(project, List.of(Feature.of("surge", ValueType.FLOAT64)));
    TestRepos.apply(repo, v2);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                client
                    .get()
                    .uri("/registry")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.version")
                    .isEqualTo(2));
    // The value written under v1 decodes with its writer schema: the added feature is null.
    JsonNode results = results();
    assertThat(results.get(1).get("values").toString()).isEqualTo("[42]");
    assertThat(results.get(2).toString())
        .contains("\"values\":[null],\"statuses\":[\"NULL_VALUE\"]");

    store.put(
        v2, "driver_stats", List.of(1001L), Instant.now(), List.of(0.5, 0.25f, 43L, "n", 1.5));
    results = results();
    assertThat(results.get(1).get("values").toString()).isEqualTo("[43]");
    assertThat(results.get(2).get("values").toString()).isEqualTo("[1.5]");
  }

  private JsonNode results() {
    String body =
        post().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    return JSON.readTree(body).get("results");
  }

  private WebTestClient.ResponseSpec post() {
    return client
        .post()
        .uri("/get-online-features")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(REQUEST)
        .exchange();
  }
}
