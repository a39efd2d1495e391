/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes rows to one Parquet file with parquet-hadoop's example writer: no Spark session, so the
 * example data is written in about a second. Values: Long, Double, Float, String, Instant (written
 * as TIMESTAMP(MICROS, UTC), which Spark reads as a timestamp), List of Float (LIST).
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** Replaces {@code folder} by a folder holding one Parquet file with the rows. */
  static void write(Path folder, String schemaText, List<Object[]> rows) throws IOException {
    deleteRecursively(folder);
    Files.createDirectories(folder);
    MessageType schema = MessageTypeParser.parseMessageType(schemaText);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(folder.resolve("part-00000.parquet")))
            .withConf(new Configuration())
            .withType(schema)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build()) {
      for (Object[] row : rows) {
        Group group = groups.newGroup();
        for (int i = 0; i < row.length; i++) {
          add(group, i, row[i]);
        }
        writer.write(group);
      }
    }
  }

  private static void add(Group group, int field, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Long v) {
      group.add(field, v);
    } else if (value instanceof Double v) {
      group.add(field, v);
    } else if (value instanceof Float v) {
      group.add(field, v);
    } else if (value instanceof String v) {
      group.add(field, v);
    } else if (value instanceof Instant v) {
      group.add(field, ChronoUnit.MICROS.between(Instant.EPOCH, v));
    } else if (value instanceof List<?> list) {
      Group listGroup = group.addGroup(field);
      for (Object element : list) {
        Group elementGroup = listGroup.addGroup("list");
        if (element != null) {
          elementGroup.add("element", (Float) element);
        }
      }
    } else {
      throw new IllegalArgumentException("Cannot write a " + value.getClass() + " value");
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
