/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Prints the first rows of a Parquet file or folder as a table, without starting Spark (a second or
 * two instead of several): the quickstart uses it to show a training set.
 */
final class ParquetPreview {
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588;

  private ParquetPreview() {}

  static void print(Path path, int limit, PrintStream out) throws IOException {
    List<String> header = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (Path file : files(path)) {
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
              .withConf(new Configuration())
              .build()) {
        for (Group group = reader.read();
            group != null && rows.size() < limit;
            group = reader.read()) {
          if (header.isEmpty()) {
            group.getType().getFields().forEach(f -> header.add(f.getName()));
          }
          List<String> row = new ArrayList<>();
          for (int i = 0; i < group.getType().getFieldCount(); i++) {
            row.add(field(group, i));
          }
          rows.add(row);
        }
      }
      if (rows.size() >= limit) {
        break;
      }
    }
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    out.println(line(header, widths));
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
  }

  private static List<Path> files(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> stream = Files.list(path)) {
      return stream.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", cells.get(i)));
    }
    return text.toString().stripTrailing();
  }

  private static String field(Group group, int index) {
    Type type = group.getType().getType(index);
    int count = group.getFieldRepetitionCount(index);
    if (count == 0) {
      return type.isRepetition(Type.Repetition.REPEATED) ? "[]" : "null";
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(
          type.isPrimitive()
              ? primitive(group, index, i, type.asPrimitiveType())
              : nested(group.getGroup(index, i)));
    }
    return type.isRepetition(Type.Repetition.REPEATED) ? values.toString() : values.get(0);
  }

  /** A nested group: a LIST is shown as [a, b, ...], anything else by its fields. */
  private static String nested(Group group) {
    GroupType type = group.getType();
    if (type.getFieldCount() == 1) {
      return field(group, 0);
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      values.add(field(group, i));
    }
    return values.toString();
  }

  private static String primitive(Group group, int index, int i, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case INT96:
        ByteBuffer buffer =
            ByteBuffer.wrap(group.getInt96(index, i).getBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long nanos = buffer.getLong();
        long day = buffer.getInt() - JULIAN_DAY_OF_EPOCH;
        return Instant.ofEpochSecond(day * 86_400, nanos).toString();
      case INT64:
        long value = group.getLong(index, i);
        if (logical instanceof TimestampLogicalTypeAnnotation timestamp) {
          return switch (timestamp.getUnit()) {
            case MILLIS -> Instant.ofEpochMilli(value).toString();
            case MICROS -> Instant.ofEpochSecond(0, value * 1000).toString();
            case NANOS -> Instant.ofEpochSecond(0, value).toString();
          };
        }
        return Long.toString(value);
      case INT32:
        int number = group.getInteger(index, i);
        return logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
            ? LocalDate.ofInstant(Instant.ofEpochSecond(number * 86_400L), ZoneOffset.UTC)
                .toString()
            : Integer.toString(number);
      case BOOLEAN:
        return Boolean.toString(group.getBoolean(index, i));
      case FLOAT:
        return Float.toString(group.getFloat(index, i));
      case DOUBLE:
        return Double.toString(group.getDouble(index, i));
      default:
        return group.getValueToString(index, i);
    }
  }
}
