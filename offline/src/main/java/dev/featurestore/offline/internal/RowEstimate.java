/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.io.IOException;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The number of rows a file-based dataset reads, from the row counts in its Parquet footers (no
 * Spark job): every footer when there are at most {@value #SAMPLED_FILES} files, else that many
 * evenly spaced files scaled to the file count. Unknown (empty) for a dataset that is not read from
 * Parquet files (CSV, in memory) or whose footers cannot be read. An estimate for planning only.
 */
public final class RowEstimate {
  static final int SAMPLED_FILES = 16;

  private RowEstimate() {}

  /** The estimated rows of the dataset's input files, or empty when not known. */
  public static OptionalLong of(Dataset<Row> dataset) {
    String[] files;
    try {
      files = dataset.inputFiles();
    } catch (RuntimeException e) {
      return OptionalLong.empty();
    }
    if (files.length == 0) {
      return OptionalLong.empty();
    }
    Configuration conf = dataset.sparkSession().sparkContext().hadoopConfiguration();
    int sampled = Math.min(files.length, SAMPLED_FILES);
    long rows = 0;
    for (int i = 0; i < sampled; i++) {
      String file = files[(int) ((long) i * files.length / sampled)];
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          rows += block.getRowCount();
        }
      } catch (IOException | RuntimeException e) { // not Parquet, or unreadable: no estimate
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(rows * files.length / sampled);
  }
}
