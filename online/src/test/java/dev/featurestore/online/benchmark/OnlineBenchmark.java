/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.repo.FeatureRepo;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The online serving benchmark (not a test): a private redis-server, a feature repo with a
 * 10-feature service over 2 views of one entity, {@value #ENTITIES} entities materialized with the
 * shared codec, the service's executable jar in its own JVM, and an HdrHistogram load generator on
 * loopback; then {@code redis-benchmark} MGET of the same keys at the same concurrency, in the same
 * run. Writes {@code benchmarks/results/online.md}. Run from the project root with {@code
 * benchmarks/online.sh}.
 */
public final class OnlineBenchmark {
  static final int ENTITIES = 100_000;
  static final int CONCURRENCY = 32;
  static final int[] BATCHES =
      java.util.Arrays.stream(System.getProperty("bench.batches", "1,10,100").split(","))
          .mapToInt(Integer::parseInt)
          .toArray();

  static int rate(int batch) {
    return batch <= 1 ? 2_000 : batch <= 10 ? 1_000 : 200;
  }

  static final Duration FIXED_RATE_TIME =
      Duration.ofSeconds(Long.getLong("bench.fixed-seconds", 20));
  static final Duration MAX_THROUGHPUT_TIME =
      Duration.ofSeconds(Long.getLong("bench.max-seconds", 10));
  // On this busy 2-core machine the JIT needs minutes: after a 30 s warm-up, 1-entity throughput
  // was a third of what the same run reached two minutes later.
  static final Duration WARM_UP_TIME =
      Duration.ofSeconds(Long.getLong("bench.warm-up-seconds", 150));

  private OnlineBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(".").toAbsolutePath().normalize();
    // bench.jar: another build of the service (e.g. for an A/B comparison), else online/target's.
    Path jar =
        System.getProperty("bench.jar") != null
            ? Path.of(System.getProperty("bench.jar"))
            : findJar(root);
    Path work = Files.createTempDirectory("online-bench");
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    int redisPort = RedisServerProcess.freePort();
    Process redis = startRedis(redisPort, work.resolve("redis.log"));
    Process server = null;
    try {
      waitForRedis(redisPort);
      String redisUri = "redis://127.0.0.1:" + redisPort;
      Path repoRoot = writeRepo(work.resolve("repo"), redisUri);
      FeatureRepo repo = FeatureRepo.open(repoRoot);
      repo.registry().apply(repo.definitions());
      Definitions definitions = repo.registry().latest().orElseThrow().definitions();
      log("loading %d entities x 2 views into %s", ENTITIES, redisUri);
      load(definitions, redisUri);

      int httpPort = RedisServerProcess.freePort();
      List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx1g"));
      // bench.server-opts: extra JVM options for the service, e.g. a JFR recording.
      String serverOpts = System.getProperty("bench.server-opts", "").trim();
      if (!serverOpts.isEmpty()) {
        command.addAll(List.of(serverOpts.split("\\s+")));
      }
      command.addAll(
          List.of(
              "-jar",
              jar.toString(),
              "--repo",
              repoRoot.toString(),
              "--port",
              String.valueOf(httpPort),
              "--grpc-port",
              "-1",
              "--logging.level.root=WARN"));
      server =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("server.log").toFile())
              .start();
      String baseUrl = "http://127.0.0.1:" + httpPort;
      waitForHealth(baseUrl);
      log("server up at %s", baseUrl);

      List<Row> rows = new ArrayList<>();
      String wrk = wrkBinary();
      if (wrk == null) {
        log(
            "wrk is not on the PATH (Debian: apt-get install wrk): the maximum-throughput phase uses"
                + " the Java closed-loop client, whose own CPU per request is several times wrk's");
      }
      try (LoadGenerator generator = new LoadGenerator(baseUrl)) {
        log("warming up");
        generator.closedLoop(bodies(1), CONCURRENCY, WARM_UP_TIME.dividedBy(3));
        generator.closedLoop(bodies(10), CONCURRENCY, WARM_UP_TIME.dividedBy(3));
        generator.closedLoop(bodies(100), 8, WARM_UP_TIME.dividedBy(6));
        generator.closedLoop(bodies(1), CONCURRENCY, WARM_UP_TIME.dividedBy(6));
        for (int i = 0; i < BATCHES.length; i++) {
          int batch = BATCHES[i];
          List<String> bodies = bodies(batch);
          log("%d entities: %d requests/s open loop for %s", batch, rate(batch), FIXED_RATE_TIME);
          long cpu = cpuMicros(server);
          long ownCpu = cpuMicros(ProcessHandle.current().pid());
          LoadGenerator.Result fixed = generator.openLoop(bodies, rate(batch), FIXED_RATE_TIME);
          long fixedCpu = (cpuMicros(server) - cpu) / Math.max(1, fixed.requests());
          long fixedClientCpu =
              (cpuMicros(ProcessHandle.current().pid()) - ownCpu) / Math.max(1, fixed.requests());
          log(
              "%d entities: load generator send lag p50 %d us, p99 %d us, max %d us",
              batch,
              fixed.sendLagMicros().getValueAtPercentile(50),
              fixed.sendLagMicros().getValueAtPercentile(99),
              fixed.sendLagMicros().getMaxValue());
          log("%d entities: closed loop, %d clients", batch, CONCURRENCY);
          cpu = cpuMicros(server);
          ownCpu = cpuMicros(ProcessHandle.current().pid()) + childrenCpuMicros();
          MaxResult max =
              wrk != null
                  ? wrk(wrk, baseUrl, bodies, work)
                  : MaxResult.of(generator.closedLoop(bodies, CONCURRENCY, MAX_THROUGHPUT_TIME));
          long maxCpu = (cpuMicros(server) - cpu) / Math.max(1, max.requests());
          long maxClientCpu =
              (cpuMicros(ProcessHandle.current().pid()) + childrenCpuMicros() - ownCpu)
                  / Math.max(1, max.requests());
          log(
              "%d entities: redis-benchmark MGET of %d keys, %d clients",
              batch, 2 * batch, CONCURRENCY);
          RawResult raw = redisBenchmark(redisPort, batch);
          rows.add(
              new Row(
                  batch,
                  rate(batch),
                  fixed,
                  max,
                  raw,
                  fixedCpu,
                  maxCpu,
                  fixedClientCpu,
                  maxClientCpu));
          log("  %s", rows.get(rows.size() - 1));
        }
      }
      String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
      // bench.output: where to write the report (e.g. a scratch file for experiments).
      Path out = root.resolve(System.getProperty("bench.output", "benchmarks/results/online.md"));
      Files.createDirectories(out.getParent());
      Files.writeString(out, BenchmarkReport.markdown(rows, loadBefore, loadAfter, redisVersion()));
      log("wrote %s", out);
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
      }
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
      if (!Boolean.getBoolean("bench.keep")) {
        deleteRecursively(work);
      }
    }
  }

  /** One line of the results. */
  record Row(
      int entities,
      int rate,
      LoadGenerator.Result fixed,
      MaxResult max,
      RawResult raw,
      long fixedCpuMicrosPerRequest,
      long maxCpuMicrosPerRequest,
      long fixedClientCpuMicrosPerRequest,
      long maxClientCpuMicrosPerRequest) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "fixed p50=%d p99=%d p99.9=%d us errors=%d cpu/req=%d us (client %d us); max %.0f rps"
              + " cpu/req=%d us (client %d us); raw %.0f rps",
          fixed.latencyMicros().getValueAtPercentile(50),
          fixed.latencyMicros().getValueAtPercentile(99),
          fixed.latencyMicros().getValueAtPercentile(99.9),
          fixed.errors(),
          fixedCpuMicrosPerRequest,
          fixedClientCpuMicrosPerRequest,
          max.throughput(),
          maxCpuMicrosPerRequest,
          maxClientCpuMicrosPerRequest,
          raw.requestsPerSecond());
    }
  }

  /** The closed-loop maximum throughput phase, measured by wrk or the Java load generator. */
  record MaxResult(
      String tool, long requests, long errors, double seconds, long p50Micros, long p99Micros) {
    double throughput() {
      return requests / seconds;
    }

    static MaxResult of(LoadGenerator.Result result) {
      return new MaxResult(
          "Java closed-loop client",
          result.requests(),
          result.errors(),
          result.seconds(),
          result.latencyMicros().getValueAtPercentile(50),
          result.latencyMicros().getValueAtPercentile(99));
    }
  }

  /**
   * Runs wrk (one thread, {@value #CONCURRENCY} connections) with benchmarks/online-wrk.lua for the
   * maximum throughput phase: a C load generator costs the shared cores far less per request than
   * the Java one.
   */
  static MaxResult wrk(String wrk, String baseUrl, List<String> bodies, Path work)
      throws Exception {
    Path bodyFile = work.resolve("bodies.txt");
    Files.write(bodyFile, bodies);
    Path script = Path.of("benchmarks/online-wrk.lua").toAbsolutePath();
    List<String> command =
        List.of(
            wrk,
            "-t1",
            "-c" + CONCURRENCY,
            "-d" + MAX_THROUGHPUT_TIME.toSeconds() + "s",
            "-s",
            script.toString(),
            baseUrl,
            "--",
            bodyFile.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    String line =
        output
            .lines()
            .filter(l -> l.startsWith("WRK_RESULT "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("Cannot read wrk's output: " + output));
    java.util.Map<String, Long> fields = new java.util.HashMap<>();
    for (String field : line.substring("WRK_RESULT ".length()).split(" ")) {
      String[] pair = field.split("=");
      fields.put(pair[0], Long.parseLong(pair[1]));
    }
    return new MaxResult(
        "wrk -t1 -c" + CONCURRENCY,
        fields.get("requests"),
        fields.get("errors"),
        fields.get("duration_us") / 1e6,
        fields.get("p50_us"),
        fields.get("p99_us"));
  }

  static String wrkBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "wrk");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** CPU time (user + system) of this process's finished children (wrk), from /proc. */
  static long childrenCpuMicros() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 1_000_000L / 100;
  }

  /** What redis-benchmark measured for MGET of one request's keys. */
  record RawResult(String command, double requestsPerSecond, double p50Millis, double p99Millis) {}

  static Path writeRepo(Path root, String redisUri) throws IOException {
    Files.createDirectories(root.resolve("features"));
    Files.writeString(
        root.resolve("featurestore.yaml"), "project: bench\nonline:\n  redis: " + redisUri + "\n");
    Files.writeString(
        root.resolve("features/bench.yaml"),
        """
        entities:
          - name: driver
            join_keys: {driver_id: int64}
        sources:
          - name: bench_src
            parquet: data/bench
            timestamp_field: event_timestamp
        feature_views:
          - name: bench_a
            entities: [driver]
            source: bench_src
            ttl: 30d
            features:
              - {name: a1, type: float64}
              - {name: a2, type: float64}
              - {name: a3, type: float64}
              - {name: a4, type: float32}
              - {name: a5, type: int64}
          - name: bench_b
            entities: [driver]
            source: bench_src
            ttl: 30d
            features:
              - {name: b1, type: float64}
              - {name: b2, type: float64}
              - {name: b3, type: int64}
              - {name: b4, type: int64}
              - {name: b5, type: string}
        feature_services:
          - name: bench_service
            features: ["bench_a:*", "bench_b:*"]
        """);
    return root;
  }

  /** Writes every entity's two values, plus plain-named copies for redis-benchmark. */
  static void load(Definitions definitions, String redisUri) {
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      FeatureView a = definitions.requireFeatureView("bench_a");
      FeatureView b = definitions.requireFeatureView("bench_b");
      OnlineValueCodec codecA = new OnlineValueCodec("bench", a);
      OnlineValueCodec codecB = new OnlineValueCodec("bench", b);
      long event = micros(Instant.now().minus(Duration.ofMinutes(1)));
      Random random = new Random(42);
      connection.setAutoFlushCommands(false);
      List<RedisFuture<?>> pending = new ArrayList<>();
      for (long id = 0; id < ENTITIES; id++) {
        byte[] valueA =
            codecA.encode(
                List.of(
                    random.nextDouble(),
                    random.nextDouble(),
                    random.nextDouble(),
                    random.nextFloat(),
                    random.nextLong()),
                event,
                OptionalLong.empty());
        byte[] valueB =
            codecB.encode(
                List.of(
                    random.nextDouble(),
                    random.nextDouble(),
                    (long) random.nextInt(1000),
                    random.nextLong(),
                    "segment-" + random.nextInt(10)),
                event,
                OptionalLong.empty());
        pending.add(connection.async().set(key(definitions, a, id), valueA));
        pending.add(connection.async().set(key(definitions, b, id), valueB));
        if (id < 100) {
          pending.add(connection.async().set(bytes("ka" + id), valueA));
          pending.add(connection.async().set(bytes("kb" + id), valueB));
        }
        if (pending.size() >= 2_000) {
          connection.flushCommands();
          LettuceFutures.awaitAll(Duration.ofSeconds(30), pending.toArray(new RedisFuture<?>[0]));
          pending.clear();
        }
      }
      connection.flushCommands();
      LettuceFutures.awaitAll(Duration.ofSeconds(30), pending.toArray(new RedisFuture<?>[0]));
    } finally {
      client.shutdown();
    }
  }

  private static byte[] key(Definitions definitions, FeatureView view, long id) {
    return OnlineKeys.key("bench", view.name(), definitions.joinKeysOf(view), List.of(id));
  }

  static List<String> bodies(int entities) {
    Random random = new Random(entities);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String ids =
          random
              .longs(entities, 0, ENTITIES)
              .mapToObj(Long::toString)
              .collect(Collectors.joining(","));
      bodies.add(
          "{\"feature_service\": \"bench_service\", \"entities\": {\"driver_id\": [" + ids + "]}}");
    }
    return bodies;
  }

  static RawResult redisBenchmark(int port, int entities) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-benchmark",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-c",
                String.valueOf(CONCURRENCY),
                "-n",
                entities >= 100 ? "50000" : "200000",
                "--csv",
                "MGET"));
    for (int i = 0; i < entities; i++) {
      command.add("ka" + i);
      command.add("kb" + i);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    String last =
        output
            .lines()
            .filter(l -> l.startsWith("\"MGET"))
            .reduce((x, y) -> y)
            .orElseThrow(
                () -> new IllegalStateException("Cannot read redis-benchmark output: " + output));
    String[] fields = last.replace("\"", "").split(",");
    String name = entities == 1 ? "MGET ka0 kb0" : "MGET ka0 kb0 ... (" + 2 * entities + " keys)";
    return new RawResult(
        name,
        Double.parseDouble(fields[1]),
        Double.parseDouble(fields[4]),
        Double.parseDouble(fields[6]));
  }

  /** CPU time (user + system) a process has used so far, from /proc (Linux). */
  static long cpuMicros(Process process) throws IOException {
    return cpuMicros(process.pid());
  }

  static long cpuMicros(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1_000_000L / 100; // USER_HZ is 100 on Linux
  }

  /** A private redis-server on loopback, without persistence, logging to {@code log}. */
  static Process startRedis(int port, Path log) throws IOException {
    return new ProcessBuilder(
            redisServer(),
            "--port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  static String redisServer() {
    Path system = Path.of("/usr/bin/redis-server");
    return Files.isExecutable(system) ? system.toString() : RedisServerProcess.binary().toString();
  }

  static String redisVersion() throws Exception {
    Process process =
        new ProcessBuilder(redisServer(), "--version").redirectErrorStream(true).start();
    String version =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    process.waitFor();
    return version;
  }

  static void waitForRedis(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!RedisServerProcess.ping(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not start on port " + port);
      }
      Thread.sleep(50);
    }
  }

  static void waitForHealth(String baseUrl) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("The server did not become healthy at " + baseUrl);
  }

  static Path findJar(Path root) throws IOException {
    try (var files = Files.list(root.resolve("online/target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("online-.*-exec\\.jar"))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("Build first: online/target/online-*-exec.jar"));
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[online-bench] " + format + "%n", args);
  }
}
