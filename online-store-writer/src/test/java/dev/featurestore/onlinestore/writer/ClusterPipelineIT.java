/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.testing.LocalRedisCluster;
import dev.featurestore.registry.testing.RedisFixture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh cluster connection with manual flushing: Lettuce queues a command for a node whose
 * connection is still being opened only once that connection is up, which can be after the writer
 * flushed (lettuce issues 1111 and 2420). Such a command used to wait for the whole command timeout
 * and fail the materialization ("Cannot write to Redis Cluster ...: TimeoutException", seen in CI).
 * Each round opens a new connection, checks it (a script load on every node) and writes keys of
 * every slot range at once; with a 5 s timeout a lost command fails the round.
 */
class ClusterPipelineIT {
  private static final int ROUNDS = 10;
  private static final int KEYS = 600;

  @TempDir Path dir;

  @Test
  void aCommandQueuedAfterTheLastFlushIsStillSent() throws Exception {
    RedisConfig target = RedisConfig.standalone(RedisFixture.shared().uri() + "?timeout=3s");
    RedisConnections.Shared redis = RedisConnections.get(target);
    try {
      // What Lettuce does for a node connection that opens late: the command lands in the
      // connection's buffer after the writer's flush.
      var reply = redis.commands().scriptLoad(NewerWinsScript.SOURCE);

      assertThat(redis.await(reply)).isEqualTo(NewerWinsScript.SHA);
    } finally {
      RedisConnections.evict(target);
    }
  }

  @Test
  void commandsQueuedWhileANodeConnectionOpensAreStillSent() throws Exception {
    try (LocalRedisCluster cluster = RedisFixture.startCluster(dir)) {
      RedisConfig target =
          new RedisConfig(
              cluster.seedUris().stream().map(uri -> uri + "?timeout=5s").toList(), true);
      for (int round = 0; round < ROUNDS; round++) {
        RedisConnections.evict(target);
        RedisConnections.check(target);
        try (NewerWinsWriter writer = new NewerWinsWriter(RedisConnections.get(target), 1, 1, 64)) {
          for (int i = 0; i < KEYS; i++) {
            writer.write(bytes("pipeline:" + round + ":" + i), bytes("v" + i), 0);
          }
          writer.finish();
          assertThat(writer.written()).as("round %d", round).isEqualTo(KEYS);
        }
      }
      RedisConnections.evict(target);
      RedisClusterClient client =
          RedisClusterClient.create(cluster.seedUris().stream().map(RedisURI::create).toList());
      try {
        assertThat(client.connect(ByteArrayCodec.INSTANCE).sync().dbsize())
            .isEqualTo((long) ROUNDS * KEYS);
      } finally {
        client.shutdown();
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
