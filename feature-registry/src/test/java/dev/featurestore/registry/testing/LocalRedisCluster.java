/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import static org.awaitility.Awaitility.await;

import dev.featurestore.localredis.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three real redis-server processes (the fixture's binary) on free loopback
 * ports, the 16384 slots split in three and no replicas. Tests that need a cluster get one from
 * {@link RedisFixture#startCluster(Path)} and close it when done.
 */
public final class LocalRedisCluster implements AutoCloseable {
  private static final int NODES = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServerProcess> servers = new ArrayList<>();

  LocalRedisCluster(Path dir) {
    try {
      Files.createDirectories(dir);
      for (int i = 0; i < NODES; i++) {
        servers.add(
            RedisServerProcess.startEphemeral(
                List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    dir.resolve("nodes-" + i + ".conf").toString(),
                    "--dir",
                    dir.toString())));
      }
      formCluster();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("Cannot start a local Redis Cluster in " + dir, e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Splits the slots over the nodes, introduces them to each other and waits for state ok. */
  private void formCluster() {
    RedisClient client = RedisClient.create();
    List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();
    try {
      for (RedisServerProcess server : servers) {
        nodes.add(client.connect(RedisURI.create(server.uri())));
      }
      for (int i = 0; i < NODES; i++) {
        int[] slots = IntStream.range(16384 * i / NODES, 16384 * (i + 1) / NODES).toArray();
        nodes.get(i).sync().clusterAddSlots(slots);
      }
      for (int i = 1; i < NODES; i++) {
        nodes.get(0).sync().clusterMeet("127.0.0.1", servers.get(i).port());
      }
      await()
          .atMost(READY_TIMEOUT)
          .until(
              () ->
                  nodes.stream()
                      .allMatch(n -> n.sync().clusterInfo().contains("cluster_state:ok")));
    } finally {
      nodes.forEach(StatefulRedisConnection::close);
      client.shutdown();
    }
  }

  /** The nodes' ports, in slot order. */
  public List<Integer> ports() {
    return servers.stream().map(RedisServerProcess::port).toList();
  }

  /** The Lettuce URIs of every node, usable as cluster seeds. */
  public List<String> seedUris() {
    return servers.stream().map(RedisServerProcess::uri).toList();
  }

  /** Stops every node. */
  @Override
  public void close() {
    servers.forEach(RedisServerProcess::close);
  }
}
