/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.LocalRedisCluster;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A repo with {@code cluster: true}: lookups whose keys span the slots of a 3-node Redis Cluster.
 */
class RedisClusterIT {
  private static final int ENTITIES = 60;

  @TempDir static Path root;
  private static LocalRedisCluster cluster;
  private static OnlineTestApp app;

  @BeforeAll
  static void start() {
    cluster = RedisFixture.startCluster(root.resolve("cluster"));
    String project = TestDefinitions.uniqueProject();
    Definitions definitions = ServingDefinitions.definitions(project);
    writeValues(definitions);
    FeatureRepo repo =
        TestRepos.create(
            root.resolve("repo"),
            definitions,
            "  redis: [" + cluster.seedUris().get(0) + "]\n  cluster: true\n");
    app = OnlineTestApp.start(repo.root(), Map.of());
  }

  private static void writeValues(Definitions definitions) {
    RedisClusterClient client = RedisClusterClient.create(cluster.seedUris().get(0));
    try (StatefulRedisClusterConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      FeatureView stats = definitions.requireFeatureView("driver_stats");
      FeatureView profile = definitions.requireFeatureView("driver_profile");
      for (long id = 0; id < ENTITIES; id++) {
        connection
            .sync()
            .set(
                OnlineKeys.key(
                    definitions.project(),
                    stats.name(),
                    definitions.joinKeysOf(stats),
                    List.of(id)),
                new OnlineValueCodec(definitions.project(), stats)
                    .encode(
                        List.of(0.5, 0.25f, id, "n"), micros(Instant.now()), OptionalLong.empty()));
        if (id % 2 == 0) {
          connection
              .sync()
              .set(
                  OnlineKeys.key(
                      definitions.project(),
                      profile.name(),
                      definitions.joinKeysOf(profile),
                      List.of(id)),
                  new OnlineValueCodec(definitions.project(), profile)
                      .encode(
                          List.of(4.5, "Paris", List.of(), Instant.now()),
                          micros(Instant.now()),
                          OptionalLong.empty()));
        }
      }
    } finally {
      client.shutdown();
    }
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void readsKeysSpreadOverEveryNode() {
    String ids =
        IntStream.range(0, ENTITIES).mapToObj(Integer::toString).collect(Collectors.joining(","));
    String body =
        app.client()
            .post()
            .uri("/get-online-features")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(
                "{\"features\": [\"driver_stats:trips\", \"driver_profile:rating\"],"
                    + " \"entities\": {\"driver_id\": ["
                    + ids
                    + "]}}")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    JsonNode results = JsonMapper.builder().build().readTree(body).get("results");
    for (int id = 0; id < ENTITIES; id++) {
      assertThat(results.get(1).get("values").get(id).asLong()).isEqualTo(id);
      assertThat(results.get(2).get("statuses").get(id).asText())
          .isEqualTo(id % 2 == 0 ? "PRESENT" : "NOT_FOUND");
    }
    // The keys really are spread: every node holds some of them.
    for (int port : cluster.ports()) {
      assertThat(dbsize(port)).as("keys on node %d", port).isPositive();
    }
  }

  private static long dbsize(int port) {
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().dbsize();
    } finally {
      client.shutdown();
    }
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }
}
