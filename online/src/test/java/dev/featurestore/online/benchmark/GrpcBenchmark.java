/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import static dev.featurestore.online.benchmark.OnlineBenchmark.log;

import dev.featurestore.feast.protocol.serving.ServingApi.GetOnlineFeaturesRequest;
import dev.featurestore.feast.protocol.types.ValueProto.RepeatedValue;
import dev.featurestore.feast.protocol.types.ValueProto.Value;
import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.repo.FeatureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC serving benchmark (not a test), next to REST in the same run: the setup of {@link
 * OnlineBenchmark} (a private redis-server, the 10-feature service over 2 views, {@value
 * OnlineBenchmark#ENTITIES} entities, the exec jar in its own JVM serving both protocols), then for
 * 1 entity per request: p50/p99/p99.9 at {@value #RATE} requests/s open loop over REST and over
 * gRPC (with each generator's send lag), the maximum throughput of each with {@value
 * OnlineBenchmark#CONCURRENCY} requests in flight, and {@code redis-benchmark} MGET of the same 2
 * keys. Writes {@code benchmarks/results/online-grpc.md}. Run with {@code benchmarks/online.sh
 * grpc}.
 */
public final class GrpcBenchmark {
  static final int RATE = Integer.getInteger("bench.rate", 2_000);

  private GrpcBenchmark() {}

  /** One protocol's figures. */
  record Run(
      String protocol,
      LoadGenerator.Result fixed,
      long fixedCpuMicros,
      OnlineBenchmark.MaxResult max,
      long maxCpuMicros) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(".").toAbsolutePath().normalize();
    Path jar =
        System.getProperty("bench.jar") != null
            ? Path.of(System.getProperty("bench.jar"))
            : OnlineBenchmark.findJar(root);
    Path work = Files.createTempDirectory("online-grpc-bench");
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    int redisPort = RedisServerProcess.freePort();
    Process redis = OnlineBenchmark.startRedis(redisPort, work.resolve("redis.log"));
    Process server = null;
    try {
      OnlineBenchmark.waitForRedis(redisPort);
      String redisUri = "redis://127.0.0.1:" + redisPort;
      Path repoRoot = OnlineBenchmark.writeRepo(work.resolve("repo"), redisUri);
      FeatureRepo repo = FeatureRepo.open(repoRoot);
      repo.registry().apply(repo.definitions());
      Definitions definitions = repo.registry().latest().orElseThrow().definitions();
      log("loading %d entities x 2 views into %s", OnlineBenchmark.ENTITIES, redisUri);
      OnlineBenchmark.load(definitions, redisUri);

      int httpPort = RedisServerProcess.freePort();
      int grpcPort = RedisServerProcess.freePort();
      List<String> command = new ArrayList<>(List.of(OnlineBenchmark.javaBinary(), "-Xmx1g"));
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
              String.valueOf(grpcPort),
              "--logging.level.root=WARN"));
      server =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("server.log").toFile())
              .start();
      String baseUrl = "http://127.0.0.1:" + httpPort;
      OnlineBenchmark.waitForHealth(baseUrl);
      log("server up at %s, gRPC on port %d", baseUrl, grpcPort);

      List<String> bodies = OnlineBenchmark.bodies(1);
      List<GetOnlineFeaturesRequest> requests = requests(1);
      String wrk = OnlineBenchmark.wrkBinary();
      List<Run> runs = new ArrayList<>();
      try (LoadGenerator rest = new LoadGenerator(baseUrl);
          GrpcLoadGenerator grpc = new GrpcLoadGenerator(grpcPort)) {
        log("warming up both protocols for %s", OnlineBenchmark.WARM_UP_TIME);
        Duration half = OnlineBenchmark.WARM_UP_TIME.dividedBy(2);
        rest.closedLoop(bodies, OnlineBenchmark.CONCURRENCY, half);
        grpc.closedLoop(requests, OnlineBenchmark.CONCURRENCY, half);

        log("REST: %d requests/s open loop for %s", RATE, OnlineBenchmark.FIXED_RATE_TIME);
        long cpu = OnlineBenchmark.cpuMicros(server);
        LoadGenerator.Result restFixed =
            rest.openLoop(bodies, RATE, OnlineBenchmark.FIXED_RATE_TIME);
        long restFixedCpu =
            perRequest(OnlineBenchmark.cpuMicros(server) - cpu, restFixed.requests());
        logLag("REST", restFixed);

        log("gRPC: %d requests/s open loop for %s", RATE, OnlineBenchmark.FIXED_RATE_TIME);
        cpu = OnlineBenchmark.cpuMicros(server);
        LoadGenerator.Result grpcFixed =
            grpc.openLoop(requests, RATE, OnlineBenchmark.FIXED_RATE_TIME);
        long grpcFixedCpu =
            perRequest(OnlineBenchmark.cpuMicros(server) - cpu, grpcFixed.requests());
        logLag("gRPC", grpcFixed);

        log("REST: maximum throughput, %d in flight", OnlineBenchmark.CONCURRENCY);
        cpu = OnlineBenchmark.cpuMicros(server);
        OnlineBenchmark.MaxResult restMax =
            wrk != null
                ? OnlineBenchmark.wrk(wrk, baseUrl, bodies, work)
                : OnlineBenchmark.MaxResult.of(
                    rest.closedLoop(
                        bodies, OnlineBenchmark.CONCURRENCY, OnlineBenchmark.MAX_THROUGHPUT_TIME));
        long restMaxCpu = perRequest(OnlineBenchmark.cpuMicros(server) - cpu, restMax.requests());

        log("gRPC: maximum throughput, %d in flight", OnlineBenchmark.CONCURRENCY);
        cpu = OnlineBenchmark.cpuMicros(server);
        LoadGenerator.Result grpcClosed =
            grpc.closedLoop(
                requests, OnlineBenchmark.CONCURRENCY, OnlineBenchmark.MAX_THROUGHPUT_TIME);
        OnlineBenchmark.MaxResult grpcMax =
            new OnlineBenchmark.MaxResult(
                "Java gRPC client (" + GrpcLoadGenerator.CHANNELS + " channels)",
                grpcClosed.requests(),
                grpcClosed.errors(),
                grpcClosed.seconds(),
                grpcClosed.latencyMicros().getValueAtPercentile(50),
                grpcClosed.latencyMicros().getValueAtPercentile(99));
        long grpcMaxCpu = perRequest(OnlineBenchmark.cpuMicros(server) - cpu, grpcMax.requests());

        runs.add(new Run("REST (JSON)", restFixed, restFixedCpu, restMax, restMaxCpu));
        runs.add(new Run("gRPC (protobuf)", grpcFixed, grpcFixedCpu, grpcMax, grpcMaxCpu));
      }
      log("redis-benchmark MGET of 2 keys, %d clients", OnlineBenchmark.CONCURRENCY);
      OnlineBenchmark.RawResult raw = OnlineBenchmark.redisBenchmark(redisPort, 1);
      String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
      Path out =
          root.resolve(System.getProperty("bench.output", "benchmarks/results/online-grpc.md"));
      Files.createDirectories(out.getParent());
      Files.writeString(
          out, report(runs, raw, loadBefore, loadAfter, OnlineBenchmark.redisVersion()));
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

  /** Requests for the benchmark's feature service, one random entity each (as REST's bodies). */
  static List<GetOnlineFeaturesRequest> requests(int entities) {
    Random random = new Random(entities);
    List<GetOnlineFeaturesRequest> requests = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      RepeatedValue.Builder ids = RepeatedValue.newBuilder();
      random
          .longs(entities, 0, OnlineBenchmark.ENTITIES)
          .forEach(id -> ids.addVal(Value.newBuilder().setInt64Val(id)));
      requests.add(
          GetOnlineFeaturesRequest.newBuilder()
              .setFeatureService("bench_service")
              .putEntities("driver_id", ids.build())
              .build());
    }
    return requests;
  }

  private static void logLag(String protocol, LoadGenerator.Result fixed) {
    log(
        "%s: p50 %d us, p99 %d us, errors %d; load generator send lag p50 %d us, p99 %d us, max %d"
            + " us",
        protocol,
        fixed.latencyMicros().getValueAtPercentile(50),
        fixed.latencyMicros().getValueAtPercentile(99),
        fixed.errors(),
        fixed.sendLagMicros().getValueAtPercentile(50),
        fixed.sendLagMicros().getValueAtPercentile(99),
        fixed.sendLagMicros().getMaxValue());
  }

  private static long perRequest(long micros, long requests) {
    return micros / Math.max(1, requests);
  }

  static String report(
      List<Run> runs,
      OnlineBenchmark.RawResult raw,
      String loadBefore,
      String loadAfter,
      String redisVersion) {
    StringBuilder md = new StringBuilder();
    md.append("# Online serving: gRPC next to REST\n\n")
        .append("Generated by `benchmarks/online.sh grpc` (`GrpcBenchmark`) on ")
        .append(Instant.now())
        .append(". One entity per request, the 10-feature service over 2 views; server, Redis and")
        .append(" load generators share the machine's ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores. ")
        .append(redisVersion)
        .append(". Load average before: `")
        .append(loadBefore)
        .append("`, after: `")
        .append(loadAfter)
        .append("`.\n\n");
    md.append("## Latency at ")
        .append(RATE)
        .append(" requests/s (open loop, from the scheduled send time)\n\n")
        .append("| protocol | p50 | p99 | p99.9 | errors | send lag p50 / p99 / max |")
        .append(" server CPU per request |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Run run : runs) {
      LoadGenerator.Result fixed = run.fixed();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %d | %d / %d / %d µs | %d µs |%n",
              run.protocol(),
              millis(fixed.latencyMicros().getValueAtPercentile(50)),
              millis(fixed.latencyMicros().getValueAtPercentile(99)),
              millis(fixed.latencyMicros().getValueAtPercentile(99.9)),
              fixed.errors(),
              fixed.sendLagMicros().getValueAtPercentile(50),
              fixed.sendLagMicros().getValueAtPercentile(99),
              fixed.sendLagMicros().getMaxValue(),
              run.fixedCpuMicros()));
    }
    md.append("\n## Maximum throughput (")
        .append(OnlineBenchmark.CONCURRENCY)
        .append(" requests in flight)\n\n")
        .append("| protocol | requests/s | p50 | p99 | errors | server CPU per request | tool |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Run run : runs) {
      OnlineBenchmark.MaxResult max = run.max();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %s | %s | %d | %d µs | %s |%n",
              run.protocol(),
              max.throughput(),
              millis(max.p50Micros()),
              millis(max.p99Micros()),
              max.errors(),
              run.maxCpuMicros(),
              max.tool()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| `redis-benchmark -c %d %s` | %,.0f | %.3f ms | %.3f ms | | | redis-benchmark |%n",
            OnlineBenchmark.CONCURRENCY,
            raw.command(),
            raw.requestsPerSecond(),
            raw.p50Millis(),
            raw.p99Millis()));
    Run grpc = runs.get(runs.size() - 1);
    Run rest = runs.get(0);
    long grpcP99 = grpc.fixed().latencyMicros().getValueAtPercentile(99);
    md.append("\n## Targets (issue 13)\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "- gRPC p99 at %d requests/s ≤ 2 ms: %s (%s)%n",
                RATE,
                grpcP99 <= 2_000 ? "met" : "**not met**",
                millis(grpcP99)))
        .append(
            String.format(
                Locale.ROOT,
                "- gRPC maximum throughput ≥ REST's: %s (%,.0f against %,.0f requests/s)%n",
                grpc.max().throughput() >= rest.max().throughput() ? "met" : "**not met**",
                grpc.max().throughput(),
                rest.max().throughput()));
    md.append(
        "\nA p99 is only believable when the send lag is small: a lag of the same order as the"
            + " p99 means the load generator, not the server, was late.\n");
    return md.toString();
  }

  private static String millis(long micros) {
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }
}
