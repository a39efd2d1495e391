/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log fixture: application 1.0 s to 7.5 s; job 0 3.0–3.6 s; job 1 4.6–6.3 s (an adaptive
 * query stage of SQL query 0); job 2 6.0–7.0 s, overlapping job 1, with a skipped stage.
 */
class EventLogBreakdownTest {
  @TempDir Path dir;

  private static Path fixture() throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(EventLogBreakdownTest.class.getResource("/bench/event-log.json"))
            .toURI());
  }

  @Test
  void measuresJobsGapsAndStages() throws Exception {
    EventLogBreakdown breakdown = EventLogBreakdown.read(fixture());

    assertThat(breakdown.applicationSeconds()).isCloseTo(6.5, within(1e-9));
    // [3.0, 3.6] + [4.6, 7.0]: overlapping jobs count once.
    assertThat(breakdown.jobSeconds()).isCloseTo(3.0, within(1e-9));
    assertThat(breakdown.gapBefore(0)).isCloseTo(2.0, within(1e-9));
    assertThat(breakdown.gapBefore(1)).isCloseTo(1.0, within(1e-9));
    assertThat(breakdown.gapBefore(2)).isZero();
    assertThat(breakdown.jobs())
        .extracting(EventLogBreakdown.Job::description)
        .containsExactly(
            "parquet at EntityFiles.java:119",
            "Exchange in first at HistoricalFeatures.java:302 over mapPartitions at"
                + " SourceReduce.java:74",
            "parquet at TrainingSetRunner.java:116");
    assertThat(breakdown.stages()).containsOnlyKeys(0, 1, 3);
    EventLogBreakdown.Stage exchange = breakdown.stages().get(1);
    assertThat(exchange.runMs()).isEqualTo(2500);
    assertThat(exchange.cpuNs()).isEqualTo(2_300_000_000L);
    assertThat(exchange.gcMs()).isEqualTo(120);
    assertThat(exchange.inputRecords()).isEqualTo(1200);
    assertThat(exchange.shuffleWriteRecords()).isEqualTo(120);
    assertThat(exchange.spilledBytes()).isEqualTo(2 << 20);
    assertThat(breakdown.stages().get(3).shuffleReadRecords()).isEqualTo(120);
    assertThat(breakdown.stages().get(3).outputRecords()).isEqualTo(120);
  }

  @Test
  void writesTheSummaryAndOneLinePerJobAndStage() throws Exception {
    String text = EventLogBreakdown.read(fixture()).markdown();

    assertThat(text)
        .startsWith(
            "Spark application 6.5 s: 3 jobs run during 3.0 s; no job runs for 3.5 s (driver side:"
                + " 2.0 s before the first job, 1.0 s in gaps between jobs, 0.5 s after the last).");
    assertThat(text)
        .contains(
            "| 2 | parquet at TrainingSetRunner.java:116 | 5.00 | 0.00 | 1.00 | 2: skipped; 3: 1, 0.90 |")
        .contains(
            "| 1 | 1 | query stage over mapPartitions at SourceReduce.java:74 | 2 | 1.60 | 2.50 |"
                + " 2.30 | 0.12 | 1,200 | 0 | 120 | 0 | 2 |")
        .contains("| 3 | 2 | parquet at TrainingSetRunner.java:116 | 1 | 0.90 |");
  }

  /** Spark 4's default: a rolling log folder of zstd files, read in the order of their numbers. */
  @Test
  void readsARollingCompressedLogInNumberOrder() throws Exception {
    List<String> lines = Files.readAllLines(fixture());
    Path folder = Files.createDirectories(dir.resolve("eventlog_v2_local-1"));
    // events_10 sorts before events_9 by name: read by name, job 0 would end before it starts.
    compress(folder.resolve("events_9_local-1.zstd"), lines.subList(0, 5));
    compress(folder.resolve("events_10_local-1.zstd"), lines.subList(5, lines.size()));
    Files.writeString(folder.resolve("appstatus_local-1"), "");

    EventLogBreakdown breakdown = EventLogBreakdown.read(folder);

    assertThat(breakdown).isEqualTo(EventLogBreakdown.read(fixture()));
  }

  @Test
  void rejectsALogWithoutApplicationStart() throws Exception {
    Path log = dir.resolve("events");
    Files.writeString(log, "{\"Event\":\"SparkListenerLogStart\"}\n");

    assertThatThrownBy(() -> EventLogBreakdown.read(log))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read the event log " + log + ": it has no SparkListenerApplicationStart");
  }

  @Test
  void rejectsAnotherCodecNamingTheSettings() throws Exception {
    Path log = dir.resolve("local-1.lz4");
    Files.writeString(log, "");

    assertThatThrownBy(() -> EventLogBreakdown.read(log))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read the event log "
                + log
                + ": only plain and zstd logs are read (set spark.eventLog.compression.codec=zstd"
                + " or spark.eventLog.compress=false)");
  }

  private static void compress(Path file, List<String> lines) throws IOException {
    try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
