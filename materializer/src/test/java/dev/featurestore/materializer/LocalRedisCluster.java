/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import dev.featurestore.registry.redis.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A three-node Redis Cluster of real redis-server processes (the fixture's binary) on free ports,
 * slots split in three, for the cluster test. The shared fixture provides standalone servers only.
 */
final class LocalRedisCluster implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  LocalRedisCluster(Path dir) throws IOException, InterruptedException {
    for (int i = 0; i < 3; i++) {
      int port = RedisServerProcess.freePort();
      ports.add(port);
      processes.add(
          new ProcessBuilder(
                  RedisServerProcess.binary().toString(),
                  "--port",
                  String.valueOf(port),
                  "--bind",
                  "127.0.0.1",
                  "--cluster-enabled",
                  "yes",
                  "--cluster-config-file",
                  dir.resolve("nodes-" + port + ".conf").toString(),
                  "--dir",
                  dir.toString(),
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start());
    }
    for (int port : ports) {
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!RedisServerProcess.ping(port) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    RedisClient client = RedisClient.create();
    try {
      List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();
      for (int port : ports) {
        nodes.add(client.connect(RedisURI.create("redis://127.0.0.1:" + port)));
      }
      int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
      for (int i = 0; i < 3; i++) {
        nodes
            .get(i)
            .sync()
            .clusterAddSlots(IntStream.rangeClosed(ranges[i][0], ranges[i][1]).toArray());
      }
      for (int i = 1; i < 3; i++) {
        nodes.get(0).sync().clusterMeet("127.0.0.1", ports.get(i));
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!nodes.stream().allMatch(n -> n.sync().clusterInfo().contains("cluster_state:ok"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the local Redis Cluster did not become ready");
        }
        Thread.sleep(50);
      }
      nodes.forEach(StatefulRedisConnection::close);
    } finally {
      client.shutdown();
    }
  }

  List<String> seedUris() {
    return ports.stream().map(p -> "redis://127.0.0.1:" + p).toList();
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}
