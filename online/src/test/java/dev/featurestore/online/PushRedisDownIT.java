/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes behind an API key, and while the Redis is stopped: 503, and nothing written offline when
 * online was asked.
 */
class PushRedisDownIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String DF =
      """
      {"driver_id": [1], "event_timestamp": ["2026-11-21 10:00:00"], "conv_rate": [0.5],
       "trips": [3], "city": ["Oslo"], "tags": [[]], "rating": [4.5]}
      """;

  @TempDir Path root;

  private static JsonNode post(WebTestClient client, String to, int status) {
    String body =
        "{\"push_source_name\": \"driver_pushes\", \"to\": \"" + to + "\", \"df\": " + DF + "}";
    return JSON.readTree(
        client
            .post()
            .uri("/push")
            .header("Authorization", "Bearer push-key")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody());
  }

  @Test
  void needsTheApiKeyAndAnswers503WritingNothingOfflineWhileRedisIsDown() throws IOException {
    RedisServerProcess redis = RedisFixture.startPrivate();
    FeatureRepo repo =
        TestRepos.create(
            root,
            PushIT.definitions(TestDefinitions.uniqueProject()),
            redis.uri(),
            Optional.of("push-key"));
    Path folder = repo.root().resolve("data/driver_pushes");
    Files.createDirectories(folder);
    try (OnlineTestApp app = OnlineTestApp.start(repo.root(), Map.of())) {
      WebTestClient client = app.client();
      client
          .post()
          .uri("/push")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{}")
          .exchange()
          .expectStatus()
          .isUnauthorized();
      post(client, "online", 200);
      redis.close();

      JsonNode problem = post(client, "online_and_offline", 503);

      assertThat(problem.get("error_code").asString()).isEqualTo("UNAVAILABLE");
      assertThat(problem.get("detail").asString())
          .startsWith("Cannot push to source 'driver_pushes': Cannot write to ")
          .endsWith(
              "(is it running and reachable?); nothing was written offline and the online write"
                  + " may be partial; a retry is safe");
      assertThat(files(folder)).isZero();
      // The offline store alone needs no Redis.
      post(client, "offline", 200);
      assertThat(files(folder)).isEqualTo(1);
    } finally {
      redis.close();
    }
  }

  private static long files(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }
}
