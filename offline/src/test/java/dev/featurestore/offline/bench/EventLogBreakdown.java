/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a Spark application's time went, from its event log (the JSON lines Spark writes with
 * {@code spark.eventLog.enabled=true}): per job its call site, start, duration and stages, the
 * driver-side gaps between jobs (planning, file listing, collecting results: time no job runs), and
 * per stage its tasks and task metrics.
 *
 * @param applicationStart epoch ms of {@code SparkListenerApplicationStart}
 * @param applicationEnd epoch ms of {@code SparkListenerApplicationEnd} (the last event's time when
 *     the log has none)
 * @param jobs the jobs in submission order
 * @param stages the completed stages by id (a stage a job skipped because its shuffle output
 *     existed is not among them)
 */
record EventLogBreakdown(
    long applicationStart, long applicationEnd, List<Job> jobs, Map<Integer, Stage> stages) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The call site of a job that Spark's adaptive execution submits from its own thread. */
  private static final String ASYNC_CALL_SITE = "$anonfun$withThreadLocalCaptured";

  /**
   * A job.
   *
   * @param description {@code spark.job.description} when set, else the action's call site
   * @param stageIds the job's stages, skipped ones included
   */
  record Job(
      int id,
      String description,
      long submitted,
      long completed,
      List<Integer> stageIds,
      String result) {
    double seconds() {
      return (completed - submitted) / 1e3;
    }
  }

  /**
   * A completed stage with its tasks' metrics summed (times in ms, CPU in ns).
   *
   * @param job the first job that lists it
   */
  record Stage(
      int id,
      int job,
      String name,
      int tasks,
      long submitted,
      long completed,
      long runMs,
      long cpuNs,
      long gcMs,
      long inputRecords,
      long shuffleReadRecords,
      long shuffleWriteRecords,
      long outputRecords,
      long spilledBytes) {
    double seconds() {
      return (completed - submitted) / 1e3;
    }
  }

  /**
   * Prints the breakdown of one event log (a file or a rolling log's folder) as markdown, e.g.
   * after {@code FEATURESTORE_JAVA_OPTS="-Dspark.eventLog.enabled=true
   * -Dspark.eventLog.dir=file:/tmp/spark-events" bin/featurestore training-set ...}: {@code java
   * -cp "offline/target/test-classes:offline/target/classes:$(cat offline/target/bench.classpath)"
   * dev.featurestore.offline.bench.EventLogBreakdown /tmp/spark-events/eventlog_v2_local-...} (the
   * classpath as {@code benchmarks/offline.sh} builds it).
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("Usage: EventLogBreakdown EVENT_LOG (a file or an eventlog_v2_* folder)");
      System.exit(2);
    }
    System.out.print(read(Path.of(args[0])).markdown());
  }

  /**
   * Reads an event log: a file of JSON lines, plain or {@code .zstd} (Spark 4's default codec), or
   * a rolling log's folder ({@code eventlog_v2_<app>}, Spark 4's default), whose {@code events_N_*}
   * files are read in order.
   */
  static EventLogBreakdown read(Path log) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(log)) {
      try (Stream<Path> entries = Files.list(log)) {
        entries
            .filter(p -> p.getFileName().toString().startsWith("events_"))
            .sorted(Comparator.comparingInt(EventLogBreakdown::rollingIndex))
            .forEach(files::add);
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot read the event log " + log + ": the folder has no events_N_* file");
      }
    } else {
      files.add(log);
    }
    Parser parser = new Parser();
    for (Path file : files) {
      try (BufferedReader reader = open(file)) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          parser.accept(JSON.readTree(line));
        }
      }
    }
    return parser.result(log);
  }

  private static int rollingIndex(Path file) {
    return Integer.parseInt(file.getFileName().toString().split("_")[1]);
  }

  private static BufferedReader open(Path file) throws IOException {
    String name = file.getFileName().toString().replace(".inprogress", "");
    if (name.matches(".*\\.(lz4|lzf|snappy)$")) {
      throw new IllegalArgumentException(
          "Cannot read the event log "
              + file
              + ": only plain and zstd logs are read (set spark.eventLog.compression.codec=zstd"
              + " or spark.eventLog.compress=false)");
    }
    InputStream in = Files.newInputStream(file);
    if (name.endsWith(".zstd")) {
      in = new ZstdInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Collects the events of interest, in log order. */
  private static final class Parser {
    private long start = -1;
    private long end = -1;
    private long last = 0;
    private final Map<Integer, Job> jobs = new LinkedHashMap<>();
    private final Map<Integer, Stage> stages = new TreeMap<>();
    private final Map<Integer, long[]> metrics = new TreeMap<>();
    private final Map<String, String> queries = new HashMap<>();
    private final Map<Integer, Integer> stageJobs = new HashMap<>();

    /**
     * What a job computes: {@code spark.job.description} when set; else its result stage's call
     * site (e.g. {@code parquet at TrainingSetRunner.java:116}); for a job Spark submits from its
     * own thread (an adaptive query stage, whose call site is a CompletableFuture), the operation's
     * scope (Exchange, collect), the SQL query it belongs to and the call sites of the RDDs it runs
     * that have one.
     */
    private String describe(JsonNode event) {
      JsonNode properties = event.path("Properties");
      String description = properties.path("spark.job.description").asText("");
      if (!description.isEmpty()) {
        return description;
      }
      JsonNode result = null;
      Set<String> callSites = new LinkedHashSet<>();
      for (JsonNode stage : event.path("Stage Infos")) {
        if (result == null || stage.path("Stage ID").asInt() > result.path("Stage ID").asInt()) {
          result = stage;
        }
        callSites.addAll(callSites(stage));
      }
      String name = result == null ? "" : result.path("Stage Name").asText("");
      if (!name.startsWith(ASYNC_CALL_SITE)) {
        return name;
      }
      String scope = "";
      try {
        scope =
            JSON.readTree(properties.path("spark.rdd.scope").asText("{}")).path("name").asText("");
      } catch (IOException e) {
        scope = "?";
      }
      String query = queries.get(properties.path("spark.sql.execution.id").asText(""));
      return (scope.isEmpty() ? "stage" : scope)
          + (query == null ? "" : " in " + query)
          + (callSites.isEmpty() ? "" : " over " + String.join(", ", callSites));
    }

    /** The call sites of a stage's RDDs, but those of Spark's own threads. */
    private static Set<String> callSites(JsonNode stage) {
      Set<String> callSites = new LinkedHashSet<>();
      for (JsonNode rdd : stage.path("RDD Info")) {
        String site = rdd.path("Callsite").asText("");
        if (!site.isEmpty() && !site.startsWith(ASYNC_CALL_SITE)) {
          callSites.add(site);
        }
      }
      return callSites;
    }

    /** A stage's name, or for an adaptive query stage the call sites of its RDDs that have one. */
    private static String stageName(JsonNode stage) {
      String name = stage.path("Stage Name").asText("");
      if (!name.startsWith(ASYNC_CALL_SITE)) {
        return name;
      }
      Set<String> callSites = callSites(stage);
      return callSites.isEmpty()
          ? "query stage"
          : "query stage over " + String.join(", ", callSites);
    }

    EventLogBreakdown result(Path log) {
      if (start < 0) {
        throw new IllegalArgumentException(
            "Cannot read the event log " + log + ": it has no SparkListenerApplicationStart");
      }
      return new EventLogBreakdown(start, end < 0 ? last : end, List.copyOf(jobs.values()), stages);
    }

    void accept(JsonNode event) {
      switch (event.path("Event").asText()) {
        case "SparkListenerApplicationStart" -> start = event.path("Timestamp").asLong();
        case "SparkListenerApplicationEnd" -> end = event.path("Timestamp").asLong();
        case "SparkListenerJobStart" -> {
          String description = describe(event);
          List<Integer> ids = new ArrayList<>();
          event.path("Stage IDs").forEach(id -> ids.add(id.asInt()));
          int id = event.path("Job ID").asInt();
          ids.forEach(stage -> stageJobs.putIfAbsent(stage, id));
          long submitted = event.path("Submission Time").asLong();
          jobs.put(id, new Job(id, description, submitted, -1, ids, "running"));
          last = Math.max(last, submitted);
        }
        case "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart" ->
            queries.put(event.path("executionId").asText(), event.path("description").asText());
        case "SparkListenerJobEnd" -> {
          Job job = jobs.get(event.path("Job ID").asInt());
          long completed = event.path("Completion Time").asLong();
          jobs.put(
              job.id(),
              new Job(
                  job.id(),
                  job.description(),
                  job.submitted(),
                  completed,
                  job.stageIds(),
                  event.path("Job Result").path("Result").asText()));
          last = Math.max(last, completed);
        }
        case "SparkListenerTaskEnd" -> {
          JsonNode m = event.path("Task Metrics");
          long[] sums = metrics.computeIfAbsent(event.path("Stage ID").asInt(), s -> new long[8]);
          sums[0] += m.path("Executor Run Time").asLong();
          sums[1] += m.path("Executor CPU Time").asLong();
          sums[2] += m.path("JVM GC Time").asLong();
          sums[3] += m.path("Input Metrics").path("Records Read").asLong();
          sums[4] += m.path("Shuffle Read Metrics").path("Total Records Read").asLong();
          sums[5] += m.path("Shuffle Write Metrics").path("Shuffle Records Written").asLong();
          sums[6] += m.path("Output Metrics").path("Records Written").asLong();
          sums[7] +=
              m.path("Memory Bytes Spilled").asLong() + m.path("Disk Bytes Spilled").asLong();
        }
        case "SparkListenerStageCompleted" -> {
          JsonNode info = event.path("Stage Info");
          int id = info.path("Stage ID").asInt();
          long[] m = metrics.getOrDefault(id, new long[8]);
          stages.put(
              id,
              new Stage(
                  id,
                  stageJobs.getOrDefault(id, -1),
                  stageName(info),
                  info.path("Number of Tasks").asInt(),
                  info.path("Submission Time").asLong(),
                  info.path("Completion Time").asLong(),
                  m[0],
                  m[1],
                  m[2],
                  m[3],
                  m[4],
                  m[5],
                  m[6],
                  m[7]));
          last = Math.max(last, info.path("Completion Time").asLong());
        }
        default -> {}
      }
    }
  }

  /** The application's span in seconds. */
  double applicationSeconds() {
    return (applicationEnd - applicationStart) / 1e3;
  }

  /** The time at least one job runs, in seconds (overlapping jobs count once). */
  double jobSeconds() {
    long busy = 0;
    long covered = Long.MIN_VALUE;
    for (Job job : jobs.stream().sorted(Comparator.comparingLong(Job::submitted)).toList()) {
      long from = Math.max(job.submitted(), covered);
      if (job.completed() > from) {
        busy += job.completed() - from;
      }
      covered = Math.max(covered, job.completed());
    }
    return busy / 1e3;
  }

  /**
   * Seconds between the end of every job submitted before it and the job's submission; 0 when it
   * starts while another job runs.
   */
  double gapBefore(int index) {
    long previousEnd = applicationStart;
    for (int i = 0; i < index; i++) {
      previousEnd = Math.max(previousEnd, jobs.get(i).completed());
    }
    return Math.max(0, jobs.get(index).submitted() - previousEnd) / 1e3;
  }

  /** A markdown summary line, the jobs table and the stages table. */
  String markdown() {
    StringBuilder text = new StringBuilder();
    double first = jobs.isEmpty() ? 0 : gapBefore(0);
    double gaps = 0;
    for (int i = 1; i < jobs.size(); i++) {
      gaps += gapBefore(i);
    }
    long lastEnd = jobs.stream().mapToLong(Job::completed).max().orElse(applicationStart);
    text.append(
        String.format(
            Locale.ROOT,
            "Spark application %.1f s: %d jobs run during %.1f s; no job runs for %.1f s (driver"
                + " side: %.1f s before the first job, %.1f s in gaps between jobs, %.1f s after the"
                + " last).%n%n",
            applicationSeconds(),
            jobs.size(),
            jobSeconds(),
            applicationSeconds() - jobSeconds(),
            first,
            gaps,
            Math.max(0, applicationEnd - lastEnd) / 1e3));
    text.append(
        "| job | description | starts at s | gap before s | duration s | stages (id: tasks, s; skipped) |\n");
    text.append("|---|---|---|---|---|---|\n");
    for (int i = 0; i < jobs.size(); i++) {
      Job job = jobs.get(i);
      List<String> parts = new ArrayList<>();
      for (int id : job.stageIds()) {
        Stage stage = stages.get(id);
        parts.add(
            stage == null
                ? id + ": skipped"
                : String.format(Locale.ROOT, "%d: %d, %.2f", id, stage.tasks(), stage.seconds()));
      }
      text.append(
          String.format(
              Locale.ROOT,
              "| %d | %s%s | %.2f | %.2f | %.2f | %s |%n",
              job.id(),
              job.description().replace("|", "\\|"),
              job.result().equals("JobSucceeded") ? "" : " (" + job.result() + ")",
              (job.submitted() - applicationStart) / 1e3,
              gapBefore(i),
              job.seconds(),
              String.join("; ", parts)));
    }
    text.append(
        "\n| stage | job | name | tasks | duration s | task run s | task CPU s | GC s | input rows |"
            + " shuffle read rows | shuffle write rows | output rows | spilled MB |\n");
    text.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Stage s : stages.values()) {
      text.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %d | %.2f | %.2f | %.2f | %.2f | %,d | %,d | %,d | %,d | %d |%n",
              s.id(),
              s.job(),
              s.name().replace("|", "\\|"),
              s.tasks(),
              s.seconds(),
              s.runMs() / 1e3,
              s.cpuNs() / 1e9,
              s.gcMs() / 1e3,
              s.inputRecords(),
              s.shuffleReadRecords(),
              s.shuffleWriteRecords(),
              s.outputRecords(),
              s.spilledBytes() >> 20));
    }
    return text.toString();
  }
}
