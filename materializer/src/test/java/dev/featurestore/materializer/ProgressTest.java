/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.materializer.internal.PartitionWriter;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final PartitionWriter.Counters counters =
      new PartitionWriter.Counters(
          new LongAccumulator(),
          new LongAccumulator(),
          new LongAccumulator(),
          new LongAccumulator());

  @Test
  void showsRowsKeysRatesAndEta() {
    counters.rowsRead().add(250_000);
    counters.keysWritten().add(200_000);

    assertThat(Progress.line("driver_stats", 1_000_000, counters, 10_000_000_000L))
        .isEqualTo(
            "[driver_stats] 250,000/1,000,000 rows read (25%), 200,000 keys written, 25,000"
                + " rows/s, 20,000 keys/s, ETA 30s");
  }

  @Test
  void saysWhatSparkDoesBeforeTheFirstTaskEnds() {
    assertThat(Progress.line("driver_stats", 5_000_000, counters, 3_000_000_000L))
        .isEqualTo("[driver_stats] reading 5,000,000 rows, grouping them by key and writing (3s)");
  }

  @Test
  void writesLongEtasInMinutes() {
    counters.rowsRead().add(1_000);

    assertThat(Progress.line("v", 1_000_000, counters, 1_000_000_000L)).endsWith("ETA 16m39s");
  }
}
