/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.unix_micros;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.offline.HistoricalFeatures;
import dev.featurestore.offline.TrainingSetOptions;
import dev.featurestore.offline.bench.OfflineBenchmark.Timing;
import dev.featurestore.registry.repo.FeatureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 15's request shape ({@link ShapeData}) timed four ways on the same files: this project's
 * {@link HistoricalFeatures} in the benchmark's session, {@code bin/featurestore training-set} end
 * to end as a subprocess (JVM and Spark start included), the naive Spark plan (join + row_number)
 * and DuckDB's ASOF joins; then one more CLI run with Spark's event log for the breakdown of where
 * its time goes ({@link EventLogBreakdown}).
 */
final class ShapeBenchmark {
  /** The entity columns, in the order every output is compared in. */
  private static final List<String> ENTITY_COLUMNS =
      List.of("row_id", "driver_id", "store_code", "store_region", "event_timestamp", "label");

  private final SparkSession spark;
  private final OfflineBenchmark benchmark;
  private final Path work;
  private final long sourceRows;
  private final String only;
  private final int reps;
  private final Path root = Path.of("").toAbsolutePath();
  private final List<String> breakdowns = new ArrayList<>();

  ShapeBenchmark(
      SparkSession spark,
      OfflineBenchmark benchmark,
      Path work,
      long sourceRows,
      String only,
      int reps) {
    this.spark = spark;
    this.benchmark = benchmark;
    this.work = work;
    this.sourceRows = sourceRows;
    this.only = only;
    this.reps = reps;
  }

  void warmUp() throws Exception {
    Path dir = ShapeData.generate(spark, work.resolve("shape-warm-up"), 20_000, 80_000);
    ours(dir);
    if (!only.equals("ours")) {
      ShapeBaselines.naive(spark, dir);
      ShapeBaselines.duckdb(spark, dir);
    }
  }

  /** Runs one size; returns its line of the table (the breakdown goes to {@link #section}). */
  String run(long entityRows) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "== shape: %,d entity rows, %,d source rows (3 views, driver + store)%n",
        entityRows,
        sourceRows);
    Path dir =
        ShapeData.generate(spark, work.resolve("shape-" + entityRows), entityRows, sourceRows);
    cli(dir, List.of("apply", "--repo", dir.toString()), Map.of(), dir.resolve("apply.log"));
    Timing ours = null;
    ProcessRun command = null;
    double commandSeconds = Double.MAX_VALUE;
    Timing naive = null;
    Timing duck = null;
    for (int rep = 0; rep < reps; rep++) {
      ours = OfflineBenchmark.best(ours, benchmark.measure(() -> ours(dir)));
      System.out.println("   this project, in session: " + ours);
      ProcessRun next = trainingSet(dir, Map.of());
      command = command == null || next.seconds() < command.seconds() ? next : command;
      commandSeconds = Math.min(commandSeconds, manifestSeconds(dir));
      System.out.println("   this project, CLI:        " + next);
      if (only.equals("ours")) {
        continue;
      }
      if (naive == null || naive.seconds() < 300) {
        naive =
            OfflineBenchmark.best(naive, benchmark.measure(() -> ShapeBaselines.naive(spark, dir)));
        System.out.println("   naive Spark:              " + naive);
      }
      duck =
          OfflineBenchmark.best(duck, benchmark.measure(() -> ShapeBaselines.duckdb(spark, dir)));
      System.out.println("   DuckDB ASOF:              " + duck);
    }
    breakdowns.add(breakdown(dir, entityRows));
    String check = check(dir, entityRows);
    System.out.println("   check: " + check);
    if (!only.equals("ours")) {
      OfflineBenchmark.deleteRecursively(dir);
    }
    return String.format(
        Locale.ROOT,
        "| %,d | %,d | %.1f (%.1f) | **%.1f** (%.1f) | %.1f | %s | %s | **%s** | %s | %s | %d / %d / %s / %s | %,d | %s |",
        entityRows,
        sourceRows,
        ours.seconds(),
        ours.cpuSeconds(),
        command.seconds(),
        command.cpuSeconds(),
        commandSeconds,
        naive == null
            ? "-"
            : String.format(Locale.ROOT, "%.1f (%.1f)", naive.seconds(), naive.cpuSeconds()),
        duck == null
            ? "-"
            : String.format(Locale.ROOT, "%.1f (%.1f)", duck.seconds(), duck.cpuSeconds()),
        duck == null
            ? "-"
            : String.format(Locale.ROOT, "%.1fx", command.seconds() / duck.seconds()),
        duck == null ? "-" : String.format(Locale.ROOT, "%.1fx", ours.seconds() / duck.seconds()),
        naive == null ? "-" : String.format(Locale.ROOT, "%.1fx", naive.seconds() / ours.seconds()),
        ours.peakRssMb(),
        command.peakRssMb(),
        naive == null ? "-" : String.valueOf(naive.peakRssMb()),
        duck == null ? "-" : String.valueOf(duck.peakRssMb()),
        ours.outputRows(),
        check);
  }

  /** The report's section for the lines {@link #run} returned. */
  String section(List<String> lines) {
    StringBuilder text = new StringBuilder();
    text.append("## Two entities, a composite key, a view without TTL (issue 15's shape)\n\n");
    text.append(
        "Entity rows with `driver` (`driver_id` int64) and `store` (`store_code` string +"
            + " `store_region` int32) joined to 3 views: `driver_stats` (7 days TTL, created"
            + " timestamps), `driver_profile` (no TTL), `store_sales` (30 days TTL, created"
            + " timestamps); "
            + String.format(Locale.ROOT, "%,d", ShapeData.DRIVERS)
            + " drivers, "
            + ShapeData.STORE_CODES * ShapeData.STORE_REGIONS
            + " stores, 90 days of hourly source rows (40% / 20% / 40% of the source rows), ~2% exact"
            + " duplicate source and entity rows, ~1% null keys in sources and in entity rows (per"
            + " entity), ties at equal event timestamps. **CLI** is `bin/featurestore training-set`"
            + " run as a subprocess as a user runs it (JVM and Spark start included, default heap,"
            + " `local[*]` from featurestore.yaml; `apply` ran before, untimed); its peak RSS is the"
            + " sum over the process tree, sampled every 50 ms, its CPU time from /proc; *command's own*"
            + " is the `seconds` its manifest records (from reading the registry to the manifest)."
            + " **In session** is `HistoricalFeatures` in the benchmark's `local[2]` session (written as"
            + " Parquet and counted); the naive plan and DuckDB (2 threads, one ASOF LEFT JOIN per view"
            + " after keeping the best row per key and timestamp by the tie rules, TTL as a condition)"
            + " run in the same JVM, whose RSS they report. Best of "
            + reps
            + ", interleaved. *Same values*: every 1/1000th row (by row_id) compared exactly between"
            + " this project and DuckDB, and an order-free fingerprint (sum of row hashes) of all rows"
            + " equal across this project in session, the CLI, the naive plan and DuckDB.\n\n");
    text.append(
        "| entity rows | source rows | ours in session: wall s (CPU s) | ours CLI end to end: wall s"
            + " (CPU s) | CLI command's own s | naive Spark: wall (CPU) | DuckDB ASOF: wall (CPU) |"
            + " CLI / DuckDB | session / DuckDB | naive / session | peak RSS MB session / CLI tree /"
            + " naive / DuckDB | output rows | same values |\n");
    text.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    lines.forEach(l -> text.append(l).append('\n'));
    breakdowns.forEach(b -> text.append('\n').append(b));
    return text.toString();
  }

  private long[] ours(Path dir) {
    FeatureRepo repo = FeatureRepo.open(dir);
    HistoricalFeatures features = HistoricalFeatures.of(spark, repo.definitions(), repo::resolve);
    Dataset<Row> result =
        features.historicalFeatures(
            spark.read().parquet(dir.resolve("entities").toString()),
            ShapeData.references(),
            TrainingSetOptions.defaults()
                .withFullFeatureNames()
                .withBroadcastLimit(broadcastLimit())
                .withIndexLimit(indexLimit()));
    return ShapeBaselines.writeAndCount(spark, result, dir.resolve("out-ours"));
  }

  private static long broadcastLimit() {
    return Long.getLong("bench.broadcast-limit", TrainingSetOptions.DEFAULT_BROADCAST_LIMIT);
  }

  private static long indexLimit() {
    return Long.getLong("bench.index-limit", TrainingSetOptions.DEFAULT_INDEX_LIMIT);
  }

  private ProcessRun trainingSet(Path dir, Map<String, String> environment) throws Exception {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "training-set",
                "--repo",
                dir.toString(),
                "--entities",
                dir.resolve("entities").toString(),
                "--features",
                String.join(",", ShapeData.references()),
                "--full-feature-names",
                "--output",
                dir.resolve("out-cli").toString()));
    if (System.getProperty("bench.broadcast-limit") != null) {
      arguments.addAll(List.of("--broadcast-limit", String.valueOf(broadcastLimit())));
    }
    if (System.getProperty("bench.index-limit") != null) {
      arguments.addAll(List.of("--index-limit", String.valueOf(indexLimit())));
    }
    return cli(dir, arguments, environment, dir.resolve("training-set.log"));
  }

  private ProcessRun cli(
      Path dir, List<String> arguments, Map<String, String> environment, Path log)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin/featurestore").toString());
    command.addAll(arguments);
    return ProcessRun.run(command, root, environment, log);
  }

  private static double manifestSeconds(Path dir) throws IOException {
    return new ObjectMapper()
        .readTree(dir.resolve("out-cli/_manifest.json").toFile())
        .path("seconds")
        .asDouble();
  }

  /** One more CLI run with Spark's event log (given as JVM system properties), broken down. */
  private String breakdown(Path dir, long entityRows) throws Exception {
    Path events = dir.resolve("event-log");
    OfflineBenchmark.deleteRecursively(events);
    Files.createDirectories(events);
    String options = System.getenv().getOrDefault("FEATURESTORE_JAVA_OPTS", "");
    ProcessRun run =
        trainingSet(
            dir,
            Map.of(
                "FEATURESTORE_JAVA_OPTS",
                (options + " -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=" + events.toUri())
                    .trim()));
    Path log;
    try (Stream<Path> files = Files.list(events)) {
      log =
          files
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("No event log in " + events));
    }
    EventLogBreakdown breakdown = EventLogBreakdown.read(log);
    return String.format(
            Locale.ROOT,
            "### Where the CLI's time goes: %,d entity rows%n%nOne more CLI run with"
                + " `FEATURESTORE_JAVA_OPTS=\"-Dspark.eventLog.enabled=true -Dspark.eventLog.dir=...\"`:"
                + " %.1f s wall (%.1f s CPU), command's own %.1f s; the Spark application (context"
                + " start to stop) %.1f s, so %.1f s are JVM start, reading the registry before"
                + " Spark starts, Spark's start and the exit.%n%n",
            entityRows,
            run.seconds(),
            run.cpuSeconds(),
            manifestSeconds(dir),
            breakdown.applicationSeconds(),
            run.seconds() - breakdown.applicationSeconds())
        + breakdown.markdown();
  }

  /** The outputs' columns in one order, timestamps as epoch micros. */
  private Dataset<Row> canonical(Path output) {
    List<Column> columns = new ArrayList<>();
    for (String name : ENTITY_COLUMNS) {
      columns.add(name.equals("event_timestamp") ? unix_micros(col(name)).as(name) : col(name));
    }
    ShapeData.VIEWS.forEach(v -> v.references().forEach(r -> columns.add(col(r))));
    return spark.read().parquet(output.toString()).select(columns.toArray(Column[]::new));
  }

  private String fingerprint(Path output) {
    Dataset<Row> rows = canonical(output);
    Column[] all = java.util.Arrays.stream(rows.columns()).map(c -> col(c)).toArray(Column[]::new);
    return rows.select(org.apache.spark.sql.functions.xxhash64(all).cast("decimal(38,0)").as("h"))
        .selectExpr("count(*) || ' rows, ' || sum(h)")
        .first()
        .getString(0);
  }

  private List<String> sample(Path output, long entityRows) {
    long modulus = Math.max(1, entityRows / 1000);
    return canonical(output)
        .where(expr("pmod(xxhash64(row_id, 1), " + modulus + ") = 0"))
        .collectAsList()
        .stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }

  /** Exact values of sampled rows (ours vs DuckDB) and all rows' fingerprints (every approach). */
  private String check(Path dir, long entityRows) {
    Map<String, Path> outputs = new java.util.LinkedHashMap<>();
    outputs.put("session", dir.resolve("out-ours"));
    outputs.put("CLI", dir.resolve("out-cli"));
    if (!only.equals("ours")) {
      outputs.put("naive", dir.resolve("out-naive"));
      outputs.put("DuckDB", dir.resolve("out-duckdb.parquet"));
    }
    Map<String, String> fingerprints = new java.util.LinkedHashMap<>();
    outputs.forEach((name, path) -> fingerprints.put(name, fingerprint(path)));
    boolean same = fingerprints.values().stream().distinct().count() == 1;
    Path reference = outputs.getOrDefault("DuckDB", outputs.get("CLI"));
    List<String> ours = sample(outputs.get("session"), entityRows);
    List<String> theirs = sample(reference, entityRows);
    String sampled;
    if (ours.equals(theirs)) {
      sampled = String.format(Locale.ROOT, "%,d sampled rows identical", ours.size());
    } else {
      List<String> onlyOurs = new ArrayList<>(ours);
      onlyOurs.removeAll(theirs);
      List<String> onlyTheirs = new ArrayList<>(theirs);
      onlyTheirs.removeAll(ours);
      sampled =
          "NO: sampled rows differ, e.g. ours "
              + onlyOurs.stream().findFirst().orElse("-")
              + " vs "
              + onlyTheirs.stream().findFirst().orElse("-");
    }
    return (sampled.startsWith("NO") || !same ? "**NO**: " : "yes: ")
        + sampled
        + (only.equals("ours") ? " (session vs CLI)" : " (vs DuckDB)")
        + "; fingerprints "
        + (same
            ? "equal (" + String.join(", ", fingerprints.keySet()) + ")"
            : "differ: " + fingerprints);
  }
}
