/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.RedisFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Materializer benchmark (not a test): N entities x 10 float64 features in Parquet, materialized
 * into a private redis-server on a free port, next to {@code redis-benchmark -c <writers> -P 64 -t
 * hset} against the same server in the same run. Also times the read (scan, shuffle, sort) and the
 * read plus encoding alone, to show where the time goes. Run by benchmarks/materializer.sh.
 *
 * <p>Arguments: entity counts (default 1000000 5000000), then optionally {@code --out FILE}.
 */
public final class MaterializerBenchmark {
  private static final int FEATURES = 10;
  private static final String PROJECT = "bench";
  private static final Instant END = Instant.parse("2026-11-22T00:00:00Z");

  public static void main(String[] args) throws Exception {
    List<Long> sizes = new ArrayList<>();
    Path out = Path.of("benchmarks/results/materializer.md");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out")) {
        out = Path.of(args[++i]);
      } else {
        sizes.add(Long.parseLong(args[i].replace("_", "")));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1_000_000L, 5_000_000L);
    }
    RedisServerProcess server =
        RedisFixture.startPrivate(
            RedisFixture.systemBinary().orElseGet(RedisServerProcess::binary), List.of());
    int port = server.port();
    String uri = "redis://127.0.0.1:" + port;
    String version =
        redisCli(port, "INFO", "server")
            .lines()
            .filter(l -> l.startsWith("redis_version:"))
            .findFirst()
            .orElse("?")
            .trim();

    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("materializer-benchmark")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int writers = spark.sparkContext().defaultParallelism();

    StringBuilder report = new StringBuilder();
    report.append("# Materializer benchmark\n\n");
    report.append(
        String.format(
            Locale.ROOT,
            "Run %s on %d cores (`nproc`), load average before the run %s; Redis %s (private server"
                + " on a free port, no persistence); Spark local[%d] (%d parallel writers sharing one"
                + " Lettuce connection); JVM %s.%n%n",
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            Runtime.getRuntime().availableProcessors(),
            loadAverage(),
            version,
            writers,
            writers,
            System.getProperty("java.version")));
    report.append(
        "Data: one row per entity (`entity_id` int64, `event_timestamp`, `created`, 10"
            + " float64 features) in Parquet; every key is written (empty Redis before each run)."
            + " Keys/s are end to end after a 200k-entity warm-up run: Spark start excluded; the"
            + " totals pass (row count, null-key count and, with dedupe=auto, the repeat check), the Parquet scan, any"
            + " shuffle and sort, encoding and the newer-wins EVALSHA included. Settings: "
            + options()
            + ".\n\n");
    report.append(
        "| entities | materialize keys/s (s) | redis-benchmark HSET -c "
            + writers
            + " -P 64 (req/s) | ratio | SET -c "
            + writers
            + " -P 64 -r N (req/s) | ratio to SET | re-run, all keys exist (keys/s) | newer-wins"
            + " script alone, 1 thread, no Spark (keys/s) | CPU s: JVM / redis-server | totals pass"
            + " (s) | read only (s) | + encode (s) | Redis share (s) | value"
            + " bytes |\n");
    report.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");

    Path dataRoot = Files.createTempDirectory("materializer-bench");
    // Warm-up (JIT, Spark codegen, the connection): 200k entities, not reported.
    Path warmup = dataRoot.resolve("warmup");
    generate(spark, warmup, 200_000);
    new Materializer(
            spark,
            definitions(warmup, view()),
            RedisConfig.standalone(uri),
            p -> p,
            options(),
            null)
        .materialize(List.of(), END.minus(Duration.ofDays(1)), END);
    redisCli(port, "FLUSHALL");
    for (long entities : sizes) {
      Path parquet = dataRoot.resolve("entities-" + entities);
      generate(spark, parquet, entities);
      FeatureView view = view();
      Definitions definitions = definitions(parquet, view);

      // The totals pass, the write plan iterated only, then with encoding (no Redis).
      boolean breakdown = !Boolean.getBoolean("bench.skip-breakdown");
      double totalsSeconds = breakdown ? timeTotals(spark, definitions, view, parquet) : 0;
      double readSeconds = breakdown ? timeLocal(spark, definitions, view, parquet, false) : 0;
      double encodeSeconds = breakdown ? timeLocal(spark, definitions, view, parquet, true) : 0;

      Materializer materializer =
          new Materializer(
              spark, definitions, RedisConfig.standalone(uri), p -> p, options(), System.err);
      // Backfill into an empty Redis, bench.reps times (default 3): the median run is reported,
      // with the CPU seconds this JVM (Spark, encoding, Lettuce) and redis-server spent in it.
      int reps = Integer.getInteger("bench.reps", 3);
      List<double[]> runs = new ArrayList<>();
      for (int rep = 0; rep < reps; rep++) {
        redisCli(port, "FLUSHALL");
        double[] run = timedRun(materializer, port, entities, entities);
        System.out.printf(
            Locale.ROOT,
            "backfill run %d: %.2f s, JVM CPU %.2f s, Redis CPU %.2f s%n",
            rep + 1,
            run[0],
            run[1],
            run[2]);
        runs.add(run);
      }
      runs.sort(java.util.Comparator.comparingDouble(r -> r[0]));
      double[] median = runs.get(runs.size() / 2);
      double seconds = median[0];
      double keysPerSecond = entities / seconds;
      // Re-run of the same window: every key exists with the same value (it lands, a no-op).
      double[] rerun = timedRun(materializer, port, entities, entities);
      System.out.printf(Locale.ROOT, "re-run: %.2f s%n", rerun[0]);
      int valueBytes = averageValueBytes(port, view);

      redisCli(port, "FLUSHALL");
      double scriptAlone = scriptAlone(uri, entities, valueBytes);
      redisCli(port, "FLUSHALL");
      double hset = redisBenchmark(port, writers, entities, valueBytes, "hset", false);
      redisCli(port, "FLUSHALL");
      double set = redisBenchmark(port, writers, entities, valueBytes, "set", true);
      redisCli(port, "FLUSHALL");

      String row =
          String.format(
              Locale.ROOT,
              "| %,d | **%,.0f** (%.1f s) | %,.0f | **%.0f%%** | %,.0f | %.0f%% | %,.0f | %,.0f |"
                  + " %.1f / %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
              entities,
              keysPerSecond,
              seconds,
              hset,
              100 * keysPerSecond / hset,
              set,
              100 * keysPerSecond / set,
              entities / rerun[0],
              scriptAlone,
              median[1],
              median[2],
              totalsSeconds,
              readSeconds,
              encodeSeconds,
              Math.max(0, seconds - totalsSeconds - encodeSeconds),
              valueBytes);
      System.out.print(row);
      report.append(row);
    }
    report.append(
        "\nColumns: *totals pass* is the materializer's first pass (row count, null-key rows and,"
            + " with `materializer.dedupe=auto`, whether a key has two rows); *read only* runs the"
            + " materializer's write plan (scan with pushed-down window filter, projection; with one"
            + " row per key no shuffle, with `dedupe=shuffle` repartition by key and sort) and"
            + " iterates the internal rows; *+ encode* also builds every key and Avro value;"
            + " *Redis share* is the end-to-end time minus totals and encode (the EVALSHA pipeline"
            + " and what it does not overlap). *CPU s* are the CPU seconds the benchmark JVM"
            + " (Spark tasks, encoding, Lettuce) and redis-server used during the reported backfill"
            + " run (the median of `-Dbench.reps`, default 3, each into an empty Redis); on 2 cores"
            + " their sum over the wall time shows how busy the machine was. *Re-run* writes the"
            + " same window again right after: every key exists with the same value."
            + " `redis-benchmark` ran with `-d <value bytes>` so the payload matches; without `-r`, HSET"
            + " overwrites one field of one hash, with `-r N` SET creates N distinct keys, like the"
            + " materializer. *Newer-wins script alone* is the Lua write path with nothing else"
            + " running: the ceiling Redis allows for newer-wins writes on this machine.\n");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report.toString());
    System.out.println("Results written to " + out);
    spark.stop();
    server.close();
    try (var files = Files.walk(dataRoot)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.exit(0);
  }

  /** One materialization: {wall s, JVM CPU s, redis-server CPU s}; checks what was written. */
  private static double[] timedRun(
      Materializer materializer, int port, long entities, long expected)
      throws IOException, InterruptedException {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    double redisCpu = redisCpuSeconds(port);
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    ViewSummary summary =
        materializer.materialize(List.of(), END.minus(Duration.ofDays(1)), END).get(0);
    double seconds = (System.nanoTime() - start) / 1e9;
    double jvmCpu = (os.getProcessCpuTime() - cpu) / 1e9;
    double redis = redisCpuSeconds(port) - redisCpu;
    long keys = Long.parseLong(redisCli(port, "DBSIZE").trim());
    if (keys != entities || summary.keysWritten() != expected) {
      throw new IllegalStateException(
          "expected " + entities + " keys, Redis has " + keys + ", summary " + summary);
    }
    return new double[] {seconds, jvmCpu, redis};
  }

  static double redisCpuSeconds(int port) throws IOException, InterruptedException {
    double total = 0;
    for (String line : redisCli(port, "INFO", "cpu").split("\\R")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return total;
  }

  /** Materializer settings from {@code -Dbench.conf=key=value,key=value} (default: defaults). */
  private static MaterializerOptions options() {
    Map<String, String> settings = new java.util.HashMap<>();
    for (String pair : System.getProperty("bench.conf", "").split(",")) {
      if (pair.contains("=")) {
        settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    return MaterializerOptions.fromMap(settings);
  }

  private static FeatureView view() {
    List<Feature> features = new ArrayList<>();
    for (int i = 0; i < FEATURES; i++) {
      features.add(Feature.of("f" + i, ValueType.FLOAT64));
    }
    return new FeatureView(
        "bench_view",
        List.of("entity"),
        "bench_source",
        Duration.ZERO,
        true,
        features,
        Map.of(),
        "");
  }

  private static Definitions definitions(Path parquet, FeatureView view) {
    return new Definitions(
        PROJECT,
        List.of(new Entity("entity", List.of(new JoinKey("entity_id", ValueType.INT64)), "")),
        List.of(
            new ParquetSource(
                "bench_source", parquet.toString(), "event_timestamp", Optional.of("created"), "")),
        List.of(view),
        List.of());
  }

  private static void generate(SparkSession spark, Path parquet, long entities) {
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    columns.add(col("id").as("entity_id"));
    columns.add(expr("timestamp_seconds(1795219200 + id % 86000)").as("event_timestamp"));
    columns.add(expr("timestamp_seconds(1795219200 + id % 86000 + 60)").as("created"));
    for (int i = 0; i < FEATURES; i++) {
      columns.add(expr("rand(" + i + ")").as("f" + i));
    }
    spark
        .range(0, entities, 1, 8)
        .select(columns.toArray(org.apache.spark.sql.Column[]::new))
        .write()
        .mode("overwrite")
        .parquet(parquet.toString());
  }

  /**
   * The materializer's totals pass: row count, null-key rows and (dedupe=auto) the repeat check.
   */
  private static double timeTotals(
      SparkSession spark, Definitions definitions, FeatureView view, Path parquet) {
    ViewRows rows =
        ViewRows.read(
            spark,
            view,
            definitions.sourceOf(view),
            definitions.joinKeysOf(view),
            parquet.toString(),
            Optional.of(END.minus(Duration.ofDays(1))),
            END);
    long start = System.nanoTime();
    if (options().dedupe() == MaterializerOptions.Dedupe.AUTO) {
      KeyCheck.totalsAndRepeats(rows);
    } else {
      KeyCheck.totals(rows);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double timeLocal(
      SparkSession spark, Definitions definitions, FeatureView view, Path parquet, boolean encode) {
    List<JoinKey> joinKeys = definitions.joinKeysOf(view);
    ViewRows rows =
        ViewRows.read(
            spark,
            view,
            definitions.sourceOf(view),
            joinKeys,
            parquet.toString(),
            Optional.of(END.minus(Duration.ofDays(1))),
            END);
    long total = rows.rows().count();
    int partitions =
        (int)
            Math.max(
                spark.sparkContext().defaultParallelism(),
                (total + MaterializerOptions.DEFAULT_ROWS_PER_PARTITION - 1)
                    / MaterializerOptions.DEFAULT_ROWS_PER_PARTITION);
    LongAccumulator bytes = spark.sparkContext().longAccumulator();
    long start = System.nanoTime();
    // The materializer's write plan: one row per key here, so with dedupe=auto the rows as read;
    // with dedupe=shuffle, repartitioned by key and sorted.
    var plan = rows.rows().filter(rows.keysPresent());
    if (options().dedupe() == MaterializerOptions.Dedupe.SHUFFLE) {
      plan =
          plan.repartition(
                  partitions, rows.keyColumns().toArray(org.apache.spark.sql.Column[]::new))
              .sortWithinPartitions(
                  col("k0"), col("event_micros").desc(), col("created_micros").desc());
    }
    plan.queryExecution()
        .toRdd()
        .toJavaRDD()
        .foreachPartition(new EncodeOnly(PROJECT, joinKeys, encode, bytes));
    return (System.nanoTime() - start) / 1e9;
  }

  /** Iterates (and optionally encodes) a partition the way the writer does, without Redis. */
  private static final class EncodeOnly
      implements org.apache.spark.api.java.function.VoidFunction<
          java.util.Iterator<org.apache.spark.sql.catalyst.InternalRow>> {
    private static final long serialVersionUID = 1L;
    private final String project;
    private final ArrayList<String> joinKeyNames = new ArrayList<>();
    private final boolean encode;
    private final LongAccumulator bytes;

    EncodeOnly(String project, List<JoinKey> joinKeys, boolean encode, LongAccumulator bytes) {
      this.project = project;
      joinKeys.forEach(k -> joinKeyNames.add(k.name()));
      this.encode = encode;
      this.bytes = bytes;
    }

    @Override
    public void call(java.util.Iterator<org.apache.spark.sql.catalyst.InternalRow> rows) {
      FeatureView view = view();
      OnlineValueCodec codec = new OnlineValueCodec(project, view);
      List<JoinKey> joinKeys = List.of(new JoinKey(joinKeyNames.get(0), ValueType.INT64));
      byte[] tag = OnlineKeys.viewTag(project, view.name());
      long total = 0;
      while (rows.hasNext()) {
        org.apache.spark.sql.catalyst.InternalRow row = rows.next();
        if (!encode) {
          total += row.getLong(0);
          continue;
        }
        // The writer's path: typed getters on the internal row, no boxing of the features.
        OnlineValueCodec.FeatureValues values =
            new OnlineValueCodec.FeatureValues() {
              @Override
              public boolean isNull(int feature) {
                return row.isNullAt(3 + feature);
              }

              @Override
              public double getDouble(int feature) {
                return row.getDouble(3 + feature);
              }
            };
        byte[] key = OnlineKeys.key(OnlineKeys.entityKey(joinKeys, List.of(row.getLong(0))), tag);
        byte[] value = codec.encode(values, row.getLong(1), OptionalLong.of(row.getLong(2)));
        total += key.length + value.length;
      }
      bytes.add(total);
    }
  }

  /** The newer-wins writer alone: pre-built keys and values, one thread, the default tuning. */
  private static double scriptAlone(String uri, long entities, int valueBytes)
      throws InterruptedException {
    var target = dev.featurestore.registry.config.RedisConfig.standalone(uri);
    MaterializerOptions options = options();
    var writer =
        new dev.featurestore.onlinestore.writer.NewerWinsWriter(
            dev.featurestore.onlinestore.writer.RedisConnections.get(target),
            options.scriptBatchSize(),
            options.flushEvery(),
            options.maxInFlight());
    byte[] value = new byte[valueBytes];
    value[0] = 1;
    long start = System.nanoTime();
    for (long i = 0; i < entities; i++) {
      byte[] key = new byte[15];
      java.nio.ByteBuffer.wrap(key).put((byte) '{').put((byte) 1).putLong(i).put((byte) '}');
      writer.write(key, value, 0);
    }
    writer.finish();
    return entities / ((System.nanoTime() - start) / 1e9);
  }

  private static int averageValueBytes(int port, FeatureView view) throws IOException {
    byte[] key =
        OnlineKeys.key(
            PROJECT, view.name(), List.of(new JoinKey("entity_id", ValueType.INT64)), List.of(1L));
    StringBuilder hex = new StringBuilder();
    for (byte b : key) {
      hex.append(String.format("\\x%02x", b));
    }
    // STRLEN of one value; all values have the same size (10 non-null doubles).
    Process p =
        new ProcessBuilder(
                "bash", "-c", "printf 'STRLEN \"" + hex + "\"\\n' | redis-cli -p " + port)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      return Integer.parseInt(out.replaceAll("[^0-9]", ""));
    } catch (NumberFormatException e) {
      return 116;
    }
  }

  static double redisBenchmark(
      int port, int clients, long requests, int valueBytes, String test, boolean randomKeys)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-benchmark",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-c",
                String.valueOf(clients),
                "-P",
                "64",
                "-t",
                test,
                "-n",
                String.valueOf(requests),
                "-d",
                String.valueOf(valueBytes),
                "-q"));
    if (randomKeys) {
      command.addAll(List.of("-r", String.valueOf(requests)));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    System.out.println(String.join(" ", command) + "\n" + out.trim());
    Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(out.replace("\r", "\n"));
    double last = 0;
    while (m.find()) {
      last = Double.parseDouble(m.group(1));
    }
    return last;
  }

  static String redisCli(int port, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static String loadAverage() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Files.newInputStream(Path.of("/proc/loadavg")), StandardCharsets.UTF_8))) {
      String[] parts = reader.readLine().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
