/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import static dev.featurestore.online.benchmark.OnlineBenchmark.log;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.onlinestore.writer.NewerWinsScript;
import dev.featurestore.registry.repo.FeatureRepo;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The push benchmark (not a test): a private redis-server, a feature repo with a push source and a
 * 10-feature view over it (TTL 1 day, so every write carries its expiry as the materializer's do),
 * the service's executable jar in its own JVM and the open-loop load generator on loopback:
 *
 * <ul>
 *   <li>1-row {@code POST /push} at {@code bench.rate} requests/s (default 500), open loop: p50,
 *       p99, p99.9 from the scheduled send time, and the generator's own send lag;
 *   <li>100-row pushes from {@code bench.clients} closed-loop clients (default 4): rows/s online;
 *   <li>the newer-wins script's share: Redis's own time in {@code EVALSHA} during the 100-row phase
 *       ({@code INFO commandstats}) against the phase's wall time, and the same number of values
 *       written by a plain pipelined {@code SET ... PXAT} (no check, no HTTP), for the floor.
 * </ul>
 *
 * Writes {@code benchmarks/results/push.md}; run from the project root with {@code
 * benchmarks/push.sh}.
 */
public final class PushBenchmark {
  static final int FEATURES = 10;
  static final int ENTITIES = 100_000;
  static final int RATE = Integer.getInteger("bench.rate", 500);
  static final int CLIENTS = Integer.getInteger("bench.clients", 4);
  static final int BATCH = Integer.getInteger("bench.batch", 100);
  static final Duration FIXED_TIME = Duration.ofSeconds(Long.getLong("bench.fixed-seconds", 30));
  static final Duration BATCH_TIME = Duration.ofSeconds(Long.getLong("bench.batch-seconds", 20));
  static final Duration WARM_UP_TIME =
      Duration.ofSeconds(Long.getLong("bench.warm-up-seconds", 90));

  private PushBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(".").toAbsolutePath().normalize();
    Path jar =
        System.getProperty("bench.jar") != null
            ? Path.of(System.getProperty("bench.jar"))
            : OnlineBenchmark.findJar(root);
    Path work = Files.createTempDirectory("push-bench");
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    int redisPort = RedisServerProcess.freePort();
    Process redis = OnlineBenchmark.startRedis(redisPort, work.resolve("redis.log"));
    Process server = null;
    try {
      OnlineBenchmark.waitForRedis(redisPort);
      String redisUri = "redis://127.0.0.1:" + redisPort;
      Path repoRoot = writeRepo(work.resolve("repo"), redisUri);
      int httpPort = RedisServerProcess.freePort();
      server =
          new ProcessBuilder(
                  OnlineBenchmark.javaBinary(),
                  "-Xmx1g",
                  "-jar",
                  jar.toString(),
                  "--repo",
                  repoRoot.toString(),
                  "--port",
                  String.valueOf(httpPort),
                  "--logging.level.root=WARN")
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("server.log").toFile())
              .start();
      String baseUrl = "http://127.0.0.1:" + httpPort;
      OnlineBenchmark.waitForHealth(baseUrl);
      log("server up at %s", baseUrl);

      Map<String, String> report = new TreeMap<>();
      Instant start = Instant.parse("2026-01-01T00:00:00Z");
      try (LoadGenerator generator = new LoadGenerator(baseUrl, "/push");
          RedisStats stats = new RedisStats(redisUri)) {
        log("warming up for %s", WARM_UP_TIME);
        generator.closedLoop(bodies(1, 2_000, start, 0), 8, WARM_UP_TIME.dividedBy(2));
        generator.closedLoop(bodies(BATCH, 200, start, 1), CLIENTS, WARM_UP_TIME.dividedBy(2));

        log("1-row pushes: %d requests/s open loop for %s", RATE, FIXED_TIME);
        List<String> single = bodies(1, 20_000, start, 2);
        long serverCpu = OnlineBenchmark.cpuMicros(server);
        LoadGenerator.Result fixed = generator.openLoop(single, RATE, FIXED_TIME);
        long cpuPerPush = (OnlineBenchmark.cpuMicros(server) - serverCpu) / fixed.requests();
        report.put("fixed", fixedRow(fixed, cpuPerPush));
        log("  %s", report.get("fixed"));

        log("%d-row pushes: %d closed-loop clients for %s", BATCH, CLIENTS, BATCH_TIME);
        List<String> batches = bodies(BATCH, 2_000, start, 3);
        stats.reset();
        long redisCpu = OnlineBenchmark.cpuMicros(redis);
        serverCpu = OnlineBenchmark.cpuMicros(server);
        LoadGenerator.Result batch = generator.closedLoop(batches, CLIENTS, BATCH_TIME);
        long redisCpuMicros = OnlineBenchmark.cpuMicros(redis) - redisCpu;
        long serverCpuMicros = OnlineBenchmark.cpuMicros(server) - serverCpu;
        RedisStats.Command evalsha = stats.command("evalsha");
        long rows = batch.requests() * BATCH;
        report.put(
            "batch",
            String.format(
                Locale.ROOT,
                "| %d-row pushes, %d clients | %,d | %,.0f | %,.0f | %d | %d | %d | %,d | %.1f |"
                    + " %.0f%% |",
                BATCH,
                CLIENTS,
                batch.requests(),
                batch.throughput(),
                rows / batch.seconds(),
                batch.latencyMicros().getValueAtPercentile(50),
                batch.latencyMicros().getValueAtPercentile(99),
                batch.errors(),
                evalsha.calls(),
                evalsha.usec() / (double) Math.max(1, rows),
                100.0 * evalsha.usec() / (batch.seconds() * 1e6)));
        report.put(
            "batch-cpu",
            String.format(
                Locale.ROOT,
                "service %.1f µs and redis-server %.1f µs of CPU per row",
                serverCpuMicros / (double) Math.max(1, rows),
                redisCpuMicros / (double) Math.max(1, rows)));
        log("  %s", report.get("batch"));

        log("plain pipelined SET ... PXAT of %d values of the same size", rows);
        report.put("plain", plainSet(redisUri, stats, (int) Math.min(rows, 2_000_000)));
        log("  %s", report.get("plain"));
      }
      String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
      Path out = root.resolve(System.getProperty("bench.output", "benchmarks/results/push.md"));
      Files.createDirectories(out.getParent());
      Files.writeString(
          out, markdown(report, loadBefore, loadAfter, OnlineBenchmark.redisVersion()));
      log("wrote %s", out);
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
      }
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
      if (!Boolean.getBoolean("bench.keep")) {
        OnlineBenchmark.deleteRecursively(work);
      }
    }
  }

  private static String fixedRow(LoadGenerator.Result fixed, long cpuPerPush) {
    Histogram latency = fixed.latencyMicros();
    Histogram lag = fixed.sendLagMicros();
    return String.format(
        Locale.ROOT,
        "| 1-row pushes at %d/s, open loop | %,d | %.0f | %.2f | %.2f | %.2f | %d | %d µs | %d /"
            + " %d / %d µs |",
        RATE,
        fixed.requests(),
        fixed.throughput(),
        latency.getValueAtPercentile(50) / 1000.0,
        latency.getValueAtPercentile(99) / 1000.0,
        latency.getValueAtPercentile(99.9) / 1000.0,
        fixed.errors(),
        cpuPerPush,
        lag.getValueAtPercentile(50),
        lag.getValueAtPercentile(99),
        lag.getMaxValue());
  }

  /**
   * Writes {@code count} values as the script would (same key and value sizes, with PXAT) with a
   * plain pipeline: the Redis floor without the newer-wins check.
   */
  private static String plainSet(String redisUri, RedisStats stats, int count) {
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      connection.setAutoFlushCommands(false);
      byte[] value = new byte[25 + 9 * FEATURES];
      long expireAt = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1);
      stats.reset();
      long start = System.nanoTime();
      List<RedisFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] key = ("plain-set-" + i + "-0123456789").getBytes(StandardCharsets.US_ASCII);
        pending.add(connection.async().set(key, value, SetArgs.Builder.pxAt(expireAt)));
        if (pending.size() == 256) {
          connection.flushCommands();
          LettuceFutures.awaitAll(Duration.ofSeconds(30), pending.toArray(new RedisFuture<?>[0]));
          pending.clear();
        }
      }
      connection.flushCommands();
      LettuceFutures.awaitAll(Duration.ofSeconds(30), pending.toArray(new RedisFuture<?>[0]));
      double seconds = (System.nanoTime() - start) / 1e9;
      RedisStats.Command set = stats.command("set");
      return String.format(
          Locale.ROOT,
          "| plain pipelined SET ... PXAT (Lettuce, 1 connection, batches of 256) | %,d | %,.0f |"
              + " %.1f |",
          count,
          count / seconds,
          set.usec() / (double) Math.max(1, count));
    } finally {
      client.shutdown();
    }
  }

  /** Push bodies of {@code rows} rows with random drivers and increasing event timestamps. */
  private static List<String> bodies(int rows, int count, Instant start, int seed) {
    Random random = new Random(seed);
    List<String> bodies = new ArrayList<>(count);
    long second = start.getEpochSecond() + seed * 10_000_000L;
    for (int b = 0; b < count; b++) {
      StringBuilder ids = new StringBuilder();
      StringBuilder times = new StringBuilder();
      List<StringBuilder> features = new ArrayList<>();
      for (int f = 0; f < FEATURES; f++) {
        features.add(new StringBuilder());
      }
      for (int r = 0; r < rows; r++) {
        String sep = r == 0 ? "" : ",";
        ids.append(sep).append(random.nextInt(ENTITIES));
        times.append(sep).append('"').append(Instant.ofEpochSecond(second++)).append('"');
        for (StringBuilder feature : features) {
          feature.append(sep).append(String.format(Locale.ROOT, "%.4f", random.nextDouble()));
        }
      }
      StringBuilder body =
          new StringBuilder("{\"push_source_name\":\"bench_pushes\",\"df\":{\"driver_id\":[")
              .append(ids)
              .append("],\"event_timestamp\":[")
              .append(times)
              .append(']');
      for (int f = 0; f < FEATURES; f++) {
        body.append(",\"f").append(f).append("\":[").append(features.get(f)).append(']');
      }
      bodies.add(body.append("}}").toString());
    }
    return bodies;
  }

  private static Path writeRepo(Path root, String redisUri) throws Exception {
    Files.createDirectories(root.resolve("features"));
    Files.createDirectories(root.resolve("data/bench_pushes"));
    Files.writeString(
        root.resolve("featurestore.yaml"), "project: bench\nonline:\n  redis: " + redisUri + "\n");
    StringBuilder features = new StringBuilder();
    for (int f = 0; f < FEATURES; f++) {
      features.append("      - {name: f").append(f).append(", type: float64}\n");
    }
    Files.writeString(
        root.resolve("features/bench.yaml"),
        """
        entities:
          - name: driver
            join_keys: {driver_id: int64}
        sources:
          - name: bench_pushes
            parquet: data/bench_pushes
            timestamp_field: event_timestamp
            push: true
        feature_views:
          - name: bench_live
            entities: [driver]
            source: bench_pushes
            ttl: 1d
            features:
        """
            + features);
    FeatureRepo repo = FeatureRepo.open(root);
    repo.registry().apply(repo.definitions());
    return root;
  }

  private static String markdown(
      Map<String, String> report, String loadBefore, String loadAfter, String redisVersion) {
    return String.format(
        Locale.ROOT,
        """
        # Push benchmark (`benchmarks/push.sh`)

        One run on this machine: the service's exec jar (`-Xmx1g`), a private %s and the load
        generator share the cores. A push source with one 10-feature float64 view (TTL 1 day: every
        write carries its expiry). Bodies are pre-built: random drivers of %,d, increasing event
        timestamps, so most writes win. Load average before: `%s`, after: `%s`.

        Targets (issue 13): 1-row pushes at 500 requests/s with p99 ≤ 5 ms; 100-row pushes ≥ 20,000
        rows/s online.

        | case | pushes | pushes/s | p50 ms | p99 ms | p99.9 ms | errors | service CPU per push | send lag p50 / p99 / max |
        |---|---|---|---|---|---|---|---|---|
        %s

        A send lag far above a millisecond means the generator itself was late (a busy machine):
        the latencies of that run are not the service's.

        | case | pushes | pushes/s | rows/s | p50 µs | p99 µs | errors | EVALSHA calls | Redis µs in EVALSHA per row | EVALSHA share of wall time |
        |---|---|---|---|---|---|---|---|---|---|
        %s

        CPU during the batch phase: %s.

        **The newer-wins script's share.** Redis's own time in `EVALSHA` (`INFO commandstats`) per
        row above, against the same number of values written with no check at all:

        | floor | values | values/s | Redis µs per value |
        |---|---|---|---|
        %s

        Raw numbers from one run on a shared 2-core machine: compare ratios, not absolutes.
        """,
        redisVersion.split(" sha=")[0],
        ENTITIES,
        loadBefore,
        loadAfter,
        report.get("fixed"),
        report.get("batch"),
        report.get("batch-cpu"),
        report.get("plain"));
  }

  /** {@code INFO commandstats} of the private Redis. */
  private static final class RedisStats implements AutoCloseable {
    record Command(long calls, long usec) {}

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisStats(String uri) {
      client = RedisClient.create(uri);
      connection = client.connect(StringCodec.UTF8);
      // The script is loaded by the service's first push; nothing else runs it.
      connection.sync().scriptLoad(NewerWinsScript.SOURCE);
    }

    void reset() {
      connection.sync().configResetstat();
    }

    Command command(String name) {
      String prefix = "cmdstat_" + name + ":";
      for (String line : connection.sync().info("commandstats").split("\r?\n")) {
        if (line.startsWith(prefix)) {
          long calls = 0;
          long usec = 0;
          for (String field : line.substring(prefix.length()).split(",")) {
            String[] pair = field.split("=");
            if (pair[0].equals("calls")) {
              calls = Long.parseLong(pair[1]);
            } else if (pair[0].equals("usec")) {
              usec = Long.parseLong(pair[1]);
            }
          }
          return new Command(calls, usec);
        }
      }
      return new Command(0, 0);
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
