/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.MaterializerBenchmark.loadAverage;
import static dev.featurestore.materializer.MaterializerBenchmark.redisBenchmark;
import static dev.featurestore.materializer.MaterializerBenchmark.redisCli;
import static dev.featurestore.materializer.MaterializerBenchmark.redisCpuSeconds;
import static org.apache.spark.sql.functions.expr;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Tile materialization benchmark (not a test; run by benchmarks/aggregations-materialize.sh): N
 * events over N/100 entities spread over the last 7 days and an hour (every event lands in a tile
 * the run keeps), the issue's view of nine aggregations (1h/24h/7d windows, 1h interval),
 * materialized into a private redis-server as tiles. Reports events/s end to end (Spark start
 * excluded, a warm-up run first), tiles written, Redis memory per entity and per tile from {@code
 * INFO memory}, CPU of the JVM and of redis-server, and {@code redis-benchmark HSET} with the same
 * value size in the same run. A second case, one event per entity per hour (168 full tiles per
 * entity, the online benchmark's shape), gives the memory of a fully populated entity.
 *
 * <p>Arguments: event counts (default 10000000), then optionally {@code --out FILE}.
 */
public final class TileMaterializationBenchmark {
  private static final String PROJECT = "bench";
  private static final long WINDOW_HOURS = 7 * 24 + 1;

  private TileMaterializationBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = new ArrayList<>();
    Path out = Path.of("benchmarks/results/aggregations-materialize.md");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out")) {
        out = Path.of(args[++i]);
      } else {
        sizes.add(Long.parseLong(args[i].replace("_", "")));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(10_000_000L);
    }
    // Keys expire a week after their newest tile: the data must end now, not in a fixed past.
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    String load = loadAverage();
    RedisServerProcess server =
        RedisFixture.startPrivate(
            RedisFixture.systemBinary().orElseGet(RedisServerProcess::binary), List.of());
    int port = server.port();
    String uri = "redis://127.0.0.1:" + port;
    String version = redisVersion(port);
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("tile-materialization-benchmark")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path dataRoot = Files.createTempDirectory("tile-bench");
    List<String> rows = new ArrayList<>();
    try {
      Path warmup = dataRoot.resolve("warmup");
      generate(spark, warmup, 200_000, 2_000, end);
      run(spark, uri, port, warmup, end);
      for (long events : sizes) {
        Path data = dataRoot.resolve("events-" + events);
        generate(spark, data, events, Math.max(1, events / 100), end);
        rows.add(measure(spark, uri, port, data, events, Math.max(1, events / 100), end, false));
      }
      long denseEntities = 10_000;
      Path dense = dataRoot.resolve("dense");
      generate(spark, dense, denseEntities * WINDOW_HOURS, denseEntities, end);
      rows.add(
          measure(spark, uri, port, dense, denseEntities * WINDOW_HOURS, denseEntities, end, true));
    } finally {
      spark.stop();
      server.close();
      try (var files = Files.walk(dataRoot)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    StringBuilder report = new StringBuilder();
    report.append("# Benchmark: materializing an aggregated view as tiles\n\n");
    report.append(
        String.format(
            Locale.ROOT,
            "Run %s on %d cores, load average before %s; Redis %s (private server on a free"
                + " port, no persistence); Spark local[2]; JVM %s.%n%n",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            Runtime.getRuntime().availableProcessors(),
            load,
            version,
            System.getProperty("java.version")));
    report.append(
        "The view `driver_trips` with the issue's nine aggregations (count 1h, sum/max/last 24h,"
            + " min 1h, avg/stddev/last_n(3)/approx_count_distinct 7d) on a 1h interval; source:"
            + " `driver_id` int64, `event_timestamp`, `fare` float64 (2% null), `rider_id` int64"
            + " (5,000 riders). Events are spread evenly over the 169 hours before the run's end, so"
            + " every event is tiled and written (older events would not be read at all, see"
            + " docs/materializer.md). `materialize --start end-169h --end end` into an empty Redis"
            + " after a 200k-event warm-up; Spark start excluded; the null-key count pass, the"
            + " Parquet scan, the shuffle and sort by key, tiling, encoding and the non-regression"
            + " Lua script included. Memory is `used_memory` after minus before (an empty"
            + " Redis). *redis-benchmark HSET* writes one field per request with the average tile"
            + " size as value (`-c 2 -P 64 -r <tiles>`), the raw write rate of tile-sized"
            + " fields.\n\n");
    report.append(
        "| case | events | entities | tiles written | materialize (s) | **events/s** | tiles/s |"
            + " redis-benchmark HSET (req/s) | CPU s JVM / redis | Redis MB | **bytes per entity** |"
            + " bytes per tile | average tile value bytes |\n");
    report.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    rows.forEach(row -> report.append(row));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report.toString());
    System.out.println(report);
    System.out.println("Results written to " + out);
    System.exit(0);
  }

  private static String measure(
      SparkSession spark,
      String uri,
      int port,
      Path data,
      long events,
      long entities,
      Instant end,
      boolean dense)
      throws IOException, InterruptedException {
    redisCli(port, "FLUSHALL");
    long before = usedMemory(port);
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double redisCpu = redisCpuSeconds(port);
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    ViewSummary summary = run(spark, uri, port, data, end);
    double seconds = (System.nanoTime() - start) / 1e9;
    double jvmCpu = (os.getProcessCpuTime() - cpu) / 1e9;
    double redis = redisCpuSeconds(port) - redisCpu;
    long keys = Long.parseLong(redisCli(port, "DBSIZE").trim());
    if (summary.rowsRead() != events || keys != entities) {
      throw new IllegalStateException(
          "expected "
              + events
              + " events and "
              + entities
              + " keys; Redis has "
              + keys
              + ", "
              + summary);
    }
    long memory = usedMemory(port) - before;
    long tiles = summary.keysWritten();
    int valueBytes = averageTileBytes(port, entities);
    redisCli(port, "FLUSHALL");
    double hset = redisBenchmark(port, 2, tiles, valueBytes, "hset", true);
    redisCli(port, "FLUSHALL");
    return String.format(
        Locale.ROOT,
        "| %s | %,d | %,d | %,d | %.1f | **%,.0f** | %,.0f | %,.0f | %.1f / %.1f | %,.0f |"
            + " **%,.0f** | %.0f | %d |%n",
        dense ? "dense: one event per entity per hour" : "N/100 entities",
        events,
        entities,
        tiles,
        seconds,
        events / seconds,
        tiles / seconds,
        hset,
        jvmCpu,
        redis,
        memory / 1e6,
        (double) memory / entities,
        (double) memory / tiles,
        valueBytes);
  }

  private static ViewSummary run(SparkSession spark, String uri, int port, Path data, Instant end) {
    Materializer materializer =
        new Materializer(
            spark,
            TestDefinitions.tripsProject(PROJECT, data),
            RedisConfig.standalone(uri),
            p -> p,
            MaterializerOptions.fromMap(Map.of()),
            System.err);
    return materializer
        .materialize(List.of(), end.minus(Duration.ofHours(WINDOW_HOURS)), end)
        .get(0);
  }

  private static long usedMemory(int port) throws IOException, InterruptedException {
    for (String line : redisCli(port, "INFO", "memory").split("\\R")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new IllegalStateException("no used_memory in INFO memory");
  }

  /** The average size of a tile value, over the fields of a few random keys (binary keys). */
  private static int averageTileBytes(int port, long entities) {
    io.lettuce.core.RedisClient client =
        io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + port);
    try (var connection = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
      long bytes = 0;
      long fields = 0;
      for (int i = 0; i < 20; i++) {
        byte[] key = connection.sync().randomkey();
        for (byte[] value : connection.sync().hgetall(key).values()) {
          bytes += value.length;
          fields++;
        }
      }
      return (int) (bytes / Math.max(1, fields));
    } finally {
      client.shutdown();
    }
  }

  private static String redisVersion(int port) throws IOException, InterruptedException {
    return redisCli(port, "INFO", "server")
        .lines()
        .filter(l -> l.startsWith("redis_version:"))
        .findFirst()
        .orElse("?")
        .trim();
  }

  /**
   * Writes N events over the entities: event i belongs to entity {@code i % entities} at {@code end
   * - 169h + (i / entities) * span / (N / entities)} plus a small per-entity offset, so each
   * entity's events are spread evenly over the 169 hours (one per hour in the dense case).
   */
  private static void generate(
      SparkSession spark, Path data, long events, long entities, Instant end) {
    long span = WINDOW_HOURS * 3_600L;
    long perEntity = Math.max(1, events / entities);
    long first = end.getEpochSecond() - span;
    spark
        .range(0, events, 1, 8)
        .select(
            expr("id % " + entities).as("driver_id"),
            expr("timestamp_seconds("
                    + first
                    + " + cast((id div "
                    + entities
                    + ") * "
                    + span
                    + " / "
                    + perEntity
                    + " as bigint) + (id % "
                    + entities
                    + ") % 3000)")
                .as("event_timestamp"),
            expr("case when rand(1) < 0.02 then null else round(rand(2) * 80, 2) end").as("fare"),
            expr("cast(floor(rand(3) * 5000) as bigint)").as("rider_id"))
        .write()
        .mode("overwrite")
        .parquet(data.toString());
  }
}
