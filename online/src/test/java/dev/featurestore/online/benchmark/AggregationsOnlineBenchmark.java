/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import static dev.featurestore.online.benchmark.OnlineBenchmark.log;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.repo.FeatureRepo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The online benchmark of aggregated features (not a test): a private redis-server, the issue's
 * {@code driver_trips} view (9 aggregations over 1h/24h/7d windows on a 1h interval) with one
 * entity holding {@value #TILES} tiles (7 days of 1h tiles, {@value #EVENTS_PER_TILE} events each),
 * the exec jar in its own JVM, then {@code driver_trips:*} for that entity at {@value #RATE}
 * requests/s open loop (p50/p99 from the scheduled send time, with the generator's own send lag),
 * the maximum throughput with {@value OnlineBenchmark#CONCURRENCY} requests in flight, and {@code
 * redis-benchmark} of the equivalent read (HGETALL of the entity's hash). Writes {@code
 * benchmarks/results/aggregations-online.md}. Run with {@code benchmarks/online.sh aggregations}.
 * Targets (issue 14): p99 at most 2 ms at 1,000 requests/s; throughput at least 25% of raw HGETALL.
 */
public final class AggregationsOnlineBenchmark {
  static final int RATE = Integer.getInteger("bench.rate", 1_000);

  /**
   * The service's JVM options, separated by commas before each option ({@code
   * -Dbench.server-jvm=-Xmx1g,-XX:+UseSerialGC}).
   */
  static final String SERVER_JVM_OPTIONS = System.getProperty("bench.server-jvm", "-Xmx1g");

  static final int TILES = 168;
  static final int EVENTS_PER_TILE = Integer.getInteger("bench.events-per-tile", 20);

  private AggregationsOnlineBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(".").toAbsolutePath().normalize();
    Path jar =
        System.getProperty("bench.jar") != null
            ? Path.of(System.getProperty("bench.jar"))
            : OnlineBenchmark.findJar(root);
    Path work = Files.createTempDirectory("online-aggregations-bench");
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    int redisPort = RedisServerProcess.freePort();
    Process redis = OnlineBenchmark.startRedis(redisPort, work.resolve("redis.log"));
    Process server = null;
    try {
      OnlineBenchmark.waitForRedis(redisPort);
      String redisUri = "redis://127.0.0.1:" + redisPort;
      Path repoRoot = writeRepo(work.resolve("repo"), redisUri);
      FeatureRepo repo = FeatureRepo.open(repoRoot);
      repo.registry().apply(repo.definitions());
      Definitions definitions = repo.registry().latest().orElseThrow().definitions();
      byte[] key = loadTiles(definitions, redisUri);
      log("wrote %d tiles of driver 1 (%d bytes of key)", TILES, key.length);

      int httpPort = RedisServerProcess.freePort();
      List<String> command = new ArrayList<>();
      command.add(OnlineBenchmark.javaBinary());
      command.addAll(List.of(SERVER_JVM_OPTIONS.trim().split("\\s+|,(?=-)")));
      command.addAll(
          List.of(
              "-jar",
              jar.toString(),
              "--repo",
              repoRoot.toString(),
              "--port",
              String.valueOf(httpPort),
              "--logging.level.root=WARN"));
      server =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("server.log").toFile())
              .start();
      String baseUrl = "http://127.0.0.1:" + httpPort;
      OnlineBenchmark.waitForHealth(baseUrl);
      log("server up at %s", baseUrl);

      List<String> bodies =
          List.of("{\"features\": [\"driver_trips:*\"], \"entities\": {\"driver_id\": [1]}}");
      LoadGenerator.Result fixed;
      OnlineBenchmark.MaxResult max;
      long fixedCpu;
      try (LoadGenerator generator = new LoadGenerator(baseUrl)) {
        log("warming up for %s", OnlineBenchmark.WARM_UP_TIME);
        generator.closedLoop(bodies, OnlineBenchmark.CONCURRENCY, OnlineBenchmark.WARM_UP_TIME);
        log("%d requests/s open loop for %s", RATE, OnlineBenchmark.FIXED_RATE_TIME);
        long cpu = OnlineBenchmark.cpuMicros(server);
        fixed = generator.openLoop(bodies, RATE, OnlineBenchmark.FIXED_RATE_TIME);
        fixedCpu = (OnlineBenchmark.cpuMicros(server) - cpu) / Math.max(1, fixed.requests());
        log(
            "p50 %d us, p99 %d us, send lag p99 %d us max %d us",
            fixed.latencyMicros().getValueAtPercentile(50),
            fixed.latencyMicros().getValueAtPercentile(99),
            fixed.sendLagMicros().getValueAtPercentile(99),
            fixed.sendLagMicros().getMaxValue());
        log("maximum throughput, %d in flight", OnlineBenchmark.CONCURRENCY);
        String wrk = OnlineBenchmark.wrkBinary();
        max =
            wrk != null
                ? OnlineBenchmark.wrk(wrk, baseUrl, bodies, work)
                : OnlineBenchmark.MaxResult.of(
                    generator.closedLoop(
                        bodies, OnlineBenchmark.CONCURRENCY, OnlineBenchmark.MAX_THROUGHPUT_TIME));
      }
      log("redis-benchmark HGETALL of the entity's hash, %d clients", OnlineBenchmark.CONCURRENCY);
      double[] raw = redisBenchmark(redisPort);
      String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
      Path results = root.resolve("benchmarks/results/aggregations-online.md");
      Files.writeString(results, markdown(fixed, fixedCpu, max, raw, loadBefore, loadAfter));
      log("wrote %s", results);
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor();
      }
      redis.destroy();
      redis.waitFor();
      OnlineBenchmark.deleteRecursively(work);
    }
  }

  static Path writeRepo(Path root, String redisUri) throws java.io.IOException {
    Files.createDirectories(root.resolve("features"));
    Files.writeString(
        root.resolve("featurestore.yaml"), "project: bench\nonline:\n  redis: " + redisUri + "\n");
    Files.writeString(
        root.resolve("features/trips.yaml"),
        """
        entities:
          - name: driver
            join_keys: {driver_id: int64}
        sources:
          - name: trips_src
            parquet: data/trips
            timestamp_field: event_timestamp
        feature_views:
          - name: driver_trips
            entities: [driver]
            source: trips_src
            aggregation_interval: 1h
            aggregations:
              - {name: trips_1h, function: count, window: 1h}
              - {name: fare_sum_24h, function: sum, column: fare, type: float64, window: 24h}
              - {name: fare_avg_7d, function: avg, column: fare, type: float64, window: 7d}
              - {name: fare_max_24h, function: max, column: fare, type: float64, window: 24h}
              - {name: fare_min_1h, function: min, column: fare, type: float64, window: 1h}
              - {name: fare_std_7d, function: stddev, column: fare, type: float64, window: 7d}
              - {name: fare_last_24h, function: last, column: fare, type: float64, window: 24h}
              - {name: fares_last3_7d, function: last_n, column: fare, type: float64, n: 3, window: 7d}
              - {name: riders_7d, function: approx_count_distinct, column: rider_id, type: int64, window: 7d}
        """);
    return root;
  }

  /**
   * Writes the {@value #TILES} tiles ending at the current interval of driver 1 (random fares and
   * riders), as the materializer does, plus a plain-named copy of the hash for redis-benchmark.
   */
  private static byte[] loadTiles(Definitions definitions, String redisUri) {
    FeatureView view = definitions.requireFeatureView("driver_trips");
    TileLayout layout = TileLayout.of(view);
    long interval = layout.intervalMicros();
    long now = Instant.now().getEpochSecond() * 1_000_000L;
    long head = Windows.tileOf(now, interval);
    Random random = new Random(42);
    Map<byte[], byte[]> fields = new HashMap<>();
    for (long tile = head - TILES + 1; tile <= head; tile++) {
      Tile partial = new Tile(layout);
      for (int e = 0; e < EVENTS_PER_TILE; e++) {
        long event = Windows.tileStart(tile, interval) + (long) (random.nextDouble() * interval);
        if (event > now) {
          event = now;
        }
        Object[] values = new Object[layout.columns().size()];
        for (int c = 0; c < values.length; c++) {
          values[c] =
              layout.columns().get(c).equals("fare")
                  ? 5 + 40 * random.nextDouble()
                  : (Object) (long) random.nextInt(5_000);
        }
        partial.add(event, Tile.NO_CREATED, values);
      }
      fields.put(TileCodec.field(tile), TileCodec.encode(partial, now));
    }
    byte[] key = OnlineKeys.key("bench", view.name(), definitions.joinKeysOf(view), List.of(1L));
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      connection.sync().hset(key, fields);
      connection.sync().hset("tiles1".getBytes(StandardCharsets.US_ASCII), fields);
    } finally {
      client.shutdown();
    }
    return key;
  }

  /** redis-benchmark HGETALL of the copy of the entity's hash: requests/s, p50 and p99 in ms. */
  private static double[] redisBenchmark(int port) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-benchmark",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-c",
                String.valueOf(OnlineBenchmark.CONCURRENCY),
                "-n",
                "100000",
                "--csv",
                "HGETALL",
                "tiles1"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    String last =
        output
            .lines()
            .filter(l -> l.startsWith("\"HGETALL"))
            .reduce((x, y) -> y)
            .orElseThrow(
                () -> new IllegalStateException("Cannot read redis-benchmark output: " + output));
    String[] fields = last.replace("\"", "").split(",");
    return new double[] {
      Double.parseDouble(fields[1]), Double.parseDouble(fields[4]), Double.parseDouble(fields[6])
    };
  }

  private static String markdown(
      LoadGenerator.Result fixed,
      long fixedCpu,
      OnlineBenchmark.MaxResult max,
      double[] raw,
      String loadBefore,
      String loadAfter) {
    long p99 = fixed.latencyMicros().getValueAtPercentile(99);
    double share = max.throughput() / raw[0];
    StringBuilder md = new StringBuilder();
    md.append("# Online benchmark: aggregated features\n\n")
        .append("`benchmarks/online.sh aggregations`: 1 entity, `driver_trips:*` (9 aggregations,")
        .append(" 1h/24h/7d windows, 1h interval), ")
        .append(TILES)
        .append(" tiles of ")
        .append(EVENTS_PER_TILE)
        .append(" events; server (JVM options `")
        .append(SERVER_JVM_OPTIONS.trim())
        .append("`), Redis and load generator on the same machine. Load average")
        .append(" before `")
        .append(loadBefore)
        .append("`, after `")
        .append(loadAfter)
        .append("`.\n\n")
        .append("| measure | value | target |\n|---|---|---|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| p50 / p99 / p99.9 at %,d requests/s (open loop, %s) | %.3f / %.3f / %.3f ms |"
                + " p99 <= 2 ms: %s |%n",
            RATE,
            OnlineBenchmark.FIXED_RATE_TIME,
            fixed.latencyMicros().getValueAtPercentile(50) / 1000.0,
            p99 / 1000.0,
            fixed.latencyMicros().getValueAtPercentile(99.9) / 1000.0,
            p99 <= 2_000 ? "met" : "NOT met"));
    md.append(
        String.format(
            Locale.ROOT,
            "| load generator's send lag p50 / p99 / max | %d / %d / %d µs | small against the"
                + " p99, else the p99 is the generator's |%n",
            fixed.sendLagMicros().getValueAtPercentile(50),
            fixed.sendLagMicros().getValueAtPercentile(99),
            fixed.sendLagMicros().getMaxValue()));
    md.append(
        String.format(
            Locale.ROOT,
            "| errors at the fixed rate | %d | 0 |%n| server CPU per request | %d µs | |%n",
            fixed.errors(),
            fixedCpu));
    md.append(
        String.format(
            Locale.ROOT,
            "| maximum throughput (%d in flight, %s) | %,.0f requests/s (p50 %.3f ms, p99 %.3f"
                + " ms, %d errors) | |%n",
            OnlineBenchmark.CONCURRENCY,
            max.tool(),
            max.throughput(),
            max.p50Micros() / 1000.0,
            max.p99Micros() / 1000.0,
            max.errors()));
    md.append(
        String.format(
            Locale.ROOT,
            "| `redis-benchmark -c %d HGETALL` of the same %d-field hash | %,.0f requests/s (p50"
                + " %.3f ms, p99 %.3f ms) | |%n",
            OnlineBenchmark.CONCURRENCY,
            TILES,
            raw[0],
            raw[1],
            raw[2]));
    md.append(
        String.format(
            Locale.ROOT,
            "| throughput / raw HGETALL | %.0f%% | >= 25%%: %s |%n",
            100 * share,
            share >= 0.25 ? "met" : "NOT met"));
    return md.toString();
  }
}
