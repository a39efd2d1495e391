/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.testing.LocalRedisCluster;
import dev.featurestore.registry.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samples keys of a real Redis (the shared fixture) and of a real three-node Redis Cluster. */
class OnlineSampleIT {
  private static final List<JoinKey> DRIVER = List.of(new JoinKey("driver_id", ValueType.INT64));
  private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private static byte[] key(String project, String view, Object... values) {
    return OnlineKeys.key(project, view, DRIVER.subList(0, 1), List.of(values));
  }

  @Test
  void samplesEveryEntityOfTheViewsAndNothingElse() {
    String project = "p" + UUID.randomUUID().toString().replace("-", "");
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<byte[], byte[]> redis =
        client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()))) {
      // 1..50 in stats, 46..55 in profile (5 shared), and the same view of another project.
      for (long id = 1; id <= 50; id++) {
        redis.sync().set(key(project, "stats", id), VALUE);
        redis.sync().set(key(project + "x", "stats", id + 1000), VALUE);
      }
      for (long id = 46; id <= 55; id++) {
        redis.sync().set(key(project, "profile", id), VALUE);
      }
    } finally {
      client.shutdown();
    }
    RedisConfig config = RedisConfig.standalone(RedisFixture.shared().uri());

    assertThat(OnlineSample.entities(config, project, List.of("stats"), DRIVER, 1_000, 7))
        .extracting(values -> values.get(0))
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    assertThat(
            OnlineSample.entities(config, project, List.of("stats", "profile"), DRIVER, 1_000, 7))
        .hasSize(55)
        .doesNotHaveDuplicates();

    // A bottom-10 sample: the ten entities of smallest seeded hash, in that order.
    List<Object> expected =
        LongStream.rangeClosed(1, 50)
            .boxed()
            .sorted(
                Comparator.comparingLong(
                    id -> OnlineSample.rank(OnlineKeys.entityKey(DRIVER, List.of(id)), 7)))
            .limit(10)
            .map(id -> (Object) id)
            .toList();
    List<List<Object>> sample =
        OnlineSample.entities(config, project, List.of("stats"), DRIVER, 10, 7);
    assertThat(sample).extracting(values -> values.get(0)).containsExactlyElementsOf(expected);
    assertThat(OnlineSample.entities(config, project, List.of("stats"), DRIVER, 10, 7))
        .isEqualTo(sample);
    assertThat(OnlineSample.entities(config, project, List.of("stats"), DRIVER, 10, 8))
        .isNotEqualTo(sample);
    assertThat(OnlineSample.entities(config, project, List.of("nothing"), DRIVER, 10, 7)).isEmpty();
  }

  @Test
  void scansEveryMasterOfACluster() {
    String project = "c" + UUID.randomUUID().toString().replace("-", "");
    try (LocalRedisCluster cluster = RedisFixture.startCluster(dir)) {
      RedisClusterClient client =
          RedisClusterClient.create(cluster.seedUris().stream().map(RedisURI::create).toList());
      try (StatefulRedisClusterConnection<byte[], byte[]> redis =
          client.connect(ByteArrayCodec.INSTANCE)) {
        for (long id = 1; id <= 60; id++) {
          redis.sync().set(key(project, "stats", id), VALUE);
        }
      } finally {
        client.shutdown();
      }
      RedisConfig config = new RedisConfig(cluster.seedUris(), true);
      assertThat(OnlineSample.entities(config, project, List.of("stats"), DRIVER, 1_000, 1))
          .extracting(values -> values.get(0))
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
    }
  }

  @Test
  void escapesGlobCharactersOfTheViewTag() {
    assertThat(OnlineSample.matchPattern(new byte[] {'a', '*', '?', '[', ']', '\\'}))
        .isEqualTo("*a\\*\\?\\[\\]\\\\".getBytes(StandardCharsets.US_ASCII));
  }
}
