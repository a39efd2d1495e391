/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Renders benchmark rows as {@code benchmarks/results/online.md}. */
final class BenchmarkReport {
  private BenchmarkReport() {}

  static String markdown(
      List<OnlineBenchmark.Row> rows, String loadBefore, String loadAfter, String redisVersion) {
    StringBuilder md = new StringBuilder();
    md.append("# Online serving benchmark\n\n");
    md.append("Run ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" with `benchmarks/online.sh`");
    md.append(" (main class `dev.featurestore.online.benchmark.OnlineBenchmark`).\n\n");
    md.append("Setup: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores shared by the service JVM (`-Xmx1g`, the exec jar), the load generator JVM")
        .append(" and redis-server (")
        .append(redisVersion)
        .append("), all on loopback. Java ")
        .append(System.getProperty("java.version"))
        .append(". Load average before: `")
        .append(loadBefore)
        .append("`, after: `")
        .append(loadAfter)
        .append("` (other work on this machine shares the cores). The service is warmed up for ")
        .append(OnlineBenchmark.WARM_UP_TIME.toSeconds())
        .append(" s (1, 10 and 100 entities) before measuring.\n\n");
    md.append(
            "Request: `POST /get-online-features` with `feature_service: bench_service` (10 features")
        .append(" over 2 views of one int64 entity: float64, float32, int64 and string features),")
        .append(" random entities among ")
        .append(OnlineBenchmark.ENTITIES)
        .append(
            " that all exist; a request reads 2 keys per entity in one MGET. Service CPU/request")
        .append(
            " is the service process's CPU time (user + system, /proc) over the phase divided by")
        .append(" its requests; it depends less than latency on what else runs. Load generator")
        .append(" CPU/request is the same for the benchmark's own JVM (it shares the cores).\n\n");
    md.append("## Latency at a fixed rate (open loop, from the scheduled send time)\n\n");
    md.append(
        "| entities/request | rate (req/s) | p50 | p99 | p99.9 | max | errors | service CPU/request |"
            + " load generator CPU/request | send lag p99 |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (OnlineBenchmark.Row row : rows) {
      Histogram h = row.fixed().latencyMicros();
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %s | %s | %s | %d | %d µs | %d µs | %s |\n",
              row.entities(),
              row.rate(),
              ms(h.getValueAtPercentile(50)),
              ms(h.getValueAtPercentile(99)),
              ms(h.getValueAtPercentile(99.9)),
              ms(h.getMaxValue()),
              row.fixed().errors(),
              row.fixedCpuMicrosPerRequest(),
              row.fixedClientCpuMicrosPerRequest(),
              ms(row.fixed().sendLagMicros().getValueAtPercentile(99))));
    }
    md.append(
        "\nSend lag: how late the load generator sent requests against their schedule (it counts in"
            + " the latency, which is timed from the scheduled send).\n");
    md.append("\n## Maximum throughput (closed loop, ")
        .append(OnlineBenchmark.CONCURRENCY)
        .append(" concurrent clients) next to redis-benchmark at the same concurrency\n\n");
    md.append("| entities/request | service req/s | p50 | p99 | errors | service CPU/request |")
        .append(" load generator CPU/request | raw command |")
        .append(" redis-benchmark req/s | raw p50 | raw p99 | service / raw |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
    for (OnlineBenchmark.Row row : rows) {
      OnlineBenchmark.MaxResult max = row.max();
      OnlineBenchmark.RawResult raw = row.raw();
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %.0f | %s | %s | %d | %d µs | %d µs | `%s` | %.0f | %.3f ms | %.3f ms | %.0f%% |\n",
              row.entities(),
              max.throughput(),
              ms(max.p50Micros()),
              ms(max.p99Micros()),
              max.errors(),
              row.maxCpuMicrosPerRequest(),
              row.maxClientCpuMicrosPerRequest(),
              raw.command(),
              raw.requestsPerSecond(),
              raw.p50Millis(),
              raw.p99Millis(),
              100 * row.max().throughput() / raw.requestsPerSecond()));
    }
    md.append("\nLoad generator of this phase: ")
        .append(rows.isEmpty() ? "-" : rows.get(0).max().tool())
        .append(
            " (wrk counts non-2xx answers as errors; the Java client also checks each answer has")
        .append(" PRESENT values). Its CPU/request includes its own process only.\n");
    md.append("\n## Targets\n\n");
    for (OnlineBenchmark.Row row : rows) {
      double p99 = row.fixed().latencyMicros().getValueAtPercentile(99) / 1000.0;
      if (row.entities() == 1) {
        md.append(
            check(
                String.format(
                    Locale.ROOT, "p99 < 2 ms at 1 entity and %d req/s: %.3f ms", row.rate(), p99),
                p99 < 2));
        double share = row.max().throughput() / row.raw().requestsPerSecond();
        md.append(
            check(
                String.format(
                    Locale.ROOT,
                    "max throughput at 1 entity >= 25%% of redis-benchmark's: %.0f%%",
                    100 * share),
                share >= 0.25));
      } else if (row.entities() == 100) {
        md.append(
            check(
                String.format(
                    Locale.ROOT,
                    "p99 < 10 ms at 100 entities (%d req/s): %.3f ms",
                    row.rate(),
                    p99),
                p99 < 10));
      }
    }
    return md.toString();
  }

  private static String check(String text, boolean met) {
    return "- " + (met ? "met" : "**missed**") + ": " + text + "\n";
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
  }
}
