/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offlinestore.append;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Appends rows to a source's Parquet folder as one new file, so that later training sets and
 * materializations read them with the rest of the source.
 *
 * <p><b>Atomic.</b> The file is written under a hidden name ({@code .push-<uuid>.parquet.tmp}: a
 * name starting with {@code .}, which Spark and the offline module's {@code DataFiles} skip) and
 * renamed into place ({@code push-<epoch millis>-<uuid>.parquet}) once complete, so a reader sees
 * all of the rows or none; a failure deletes the hidden file.
 *
 * <p><b>Schema.</b> The new file has the Parquet schema of a data file already in the folder (the
 * first one listed by name), so the source stays one schema; Spark's legacy INT96 timestamps are
 * written as INT64 {@code TIMESTAMP(MICROS, UTC)}, which Spark reads as the same timestamp type.
 * With no data file yet, the schema follows the columns' registry types. Every column must be in
 * the schema; schema columns without values are written as nulls when they are optional.
 *
 * <p><b>Values.</b> Java values as the online service parses them: {@code Long}/{@code Integer} for
 * integers, {@code Double}/{@code Float}, {@code String}, {@code Boolean}, {@code byte[]}, {@link
 * Instant} for timestamps, {@code List} for arrays; {@code null} for a missing value.
 *
 * <p><b>No Hadoop.</b> Written with parquet-hadoop's Hadoop-free API (a {@link LocalOutputFile},
 * {@link PlainParquetConfiguration}, uncompressed pages; the footer is read from the file's bytes),
 * so the online service carries Parquet without Hadoop. Local folders only.
 */
public final class ParquetAppender {
  private static final String HIDDEN_PREFIX = ".push-";

  private ParquetAppender() {}

  /**
   * One column to append.
   *
   * @param name the column name
   * @param type its registry type (for the schema of a folder with no data file yet)
   * @param values one value per row, null for none
   */
  public record Column(String name, ValueType type, List<?> values) {
    public Column {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
      values = Collections.unmodifiableList(new ArrayList<>(values));
    }
  }

  /**
   * Appends rows as one new file in {@code folder}.
   *
   * @param what the source, for error messages ({@code source 'x'})
   * @param columns the columns, all of the same length
   * @return the new file
   * @throws FeatureStoreException INVALID_ARGUMENT when a column is not in the folder's schema or a
   *     value does not fit it (nothing is written), UNAVAILABLE when the folder cannot be written
   */
  public static Path append(String what, Path folder, List<Column> columns) {
    return prepare(what, folder, columns).commit();
  }

  /**
   * Checks and converts rows for {@code folder} without writing anything, so a caller can check
   * every store before writing to any; {@link Prepared#commit} then writes the file.
   *
   * @throws FeatureStoreException as {@link #append}
   */
  public static Prepared prepare(String what, Path folder, List<Column> columns) {
    int rows = columns.isEmpty() ? 0 : columns.get(0).values().size();
    for (Column column : columns) {
      if (column.values().size() != rows) {
        throw invalid(
            what,
            "column '%s' has %d values but '%s' has %d",
            column.name(),
            column.values().size(),
            columns.get(0).name(),
            rows);
      }
    }
    MessageType schema = writableSchema(what, folder, columns);
    Map<String, Column> byName = new LinkedHashMap<>();
    columns.forEach(c -> byName.put(c.name(), c));
    for (String name : byName.keySet()) {
      if (!schema.containsField(name)) {
        throw invalid(
            what,
            "column '%s' is not in the Parquet schema of %s (its columns: %s)",
            name,
            folder,
            schema.getFields().stream().map(Type::getName).toList());
      }
    }
    for (Type field : schema.getFields()) {
      if (field.isRepetition(Type.Repetition.REQUIRED) && !byName.containsKey(field.getName())) {
        throw invalid(
            what, "column '%s' is required by the Parquet schema of %s", field.getName(), folder);
      }
    }
    List<Group> records = new ArrayList<>(rows);
    SimpleGroupFactory factory = new SimpleGroupFactory(schema);
    for (int row = 0; row < rows; row++) {
      Group record = factory.newGroup();
      for (Type field : schema.getFields()) {
        Column column = byName.get(field.getName());
        Object value = column == null ? null : column.values().get(row);
        if (value == null) {
          if (field.isRepetition(Type.Repetition.REQUIRED)) {
            throw invalid(what, "column '%s' is null at row %d but required", field.getName(), row);
          }
          continue;
        }
        add(what, record, field, value, row);
      }
      records.add(record);
    }
    return new Prepared(what, folder, schema, records);
  }

  /** Checked rows, ready to be written as one new file. */
  public static final class Prepared {
    private final String what;
    private final Path folder;
    private final MessageType schema;
    private final List<Group> records;

    private Prepared(String what, Path folder, MessageType schema, List<Group> records) {
      this.what = what;
      this.folder = folder;
      this.schema = schema;
      this.records = records;
    }

    /**
     * Writes the rows as one new file (hidden, then renamed into place).
     *
     * @return the new file
     * @throws FeatureStoreException UNAVAILABLE when the folder cannot be written (nothing is left
     *     behind)
     */
    public Path commit() {
      return write(what, folder, schema, records);
    }
  }

  /** The schema of the folder's first data file, or one made from the columns' types. */
  static MessageType writableSchema(String what, Path folder, List<Column> columns) {
    Optional<Path> existing = ParquetFiles.firstDataFile(folder);
    if (existing.isEmpty()) {
      Types.MessageTypeBuilder builder = Types.buildMessage();
      for (Column column : columns) {
        builder.addField(typeOf(column.name(), column.type()));
      }
      return builder.named("spark_schema");
    }
    MessageType read = ParquetFiles.readSchema(what, existing.get());
    List<Type> fields = new ArrayList<>();
    for (Type field : read.getFields()) {
      if (field.isPrimitive()
          && field.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT96) {
        fields.add(
            Types.primitive(PrimitiveTypeName.INT64, field.getRepetition())
                .as(
                    LogicalTypeAnnotation.timestampType(
                        true, LogicalTypeAnnotation.TimeUnit.MICROS))
                .named(field.getName()));
      } else {
        fields.add(field);
      }
    }
    return new MessageType(read.getName(), fields);
  }

  private static Type typeOf(String name, ValueType type) {
    if (type.elementType().isPresent()) {
      return Types.optionalList().optionalElement(primitive(type.elementType().get())).named(name);
    }
    return Types.optional(primitive(type)).as(logical(type)).named(name);
  }

  private static PrimitiveTypeName primitive(ValueType type) {
    return switch (type) {
      case INT32 -> PrimitiveTypeName.INT32;
      case INT64, TIMESTAMP -> PrimitiveTypeName.INT64;
      case FLOAT32 -> PrimitiveTypeName.FLOAT;
      case FLOAT64 -> PrimitiveTypeName.DOUBLE;
      case BOOL -> PrimitiveTypeName.BOOLEAN;
      case STRING, BYTES -> PrimitiveTypeName.BINARY;
      default ->
          throw FeatureStoreException.of(
              ErrorCode.INTERNAL_ERROR, "Cannot write type %s to Parquet", type);
    };
  }

  private static LogicalTypeAnnotation logical(ValueType type) {
    return switch (type) {
      case STRING -> LogicalTypeAnnotation.stringType();
      case TIMESTAMP ->
          LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS);
      default -> null;
    };
  }

  private static void add(String what, Group record, Type field, Object value, int row) {
    if (field.isPrimitive()) {
      addPrimitive(what, record, field.getName(), field.asPrimitiveType(), value, row);
      return;
    }
    GroupType group = field.asGroupType();
    if (!(value instanceof List<?> items)
        || !(group.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)
        || group.getFieldCount() != 1
        || group.getType(0).isPrimitive()
        || group.getType(0).asGroupType().getFieldCount() != 1) {
      throw invalid(
          what,
          "column '%s' at row %d: cannot write %s to Parquet type %s",
          field.getName(),
          row,
          value.getClass().getSimpleName(),
          field);
    }
    GroupType repeated = group.getType(0).asGroupType();
    Type element = repeated.getType(0);
    Group list = record.addGroup(field.getName());
    for (Object item : items) {
      Group entry = list.addGroup(repeated.getName());
      if (item == null) {
        continue;
      }
      if (!element.isPrimitive()) {
        throw invalid(what, "column '%s': nested lists are not supported", field.getName());
      }
      addPrimitive(what, entry, element.getName(), element.asPrimitiveType(), item, row);
    }
  }

  private static void addPrimitive(
      String what, Group record, String name, PrimitiveType type, Object value, int row) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN -> {
        if (value instanceof Boolean b) {
          record.add(name, b);
          return;
        }
      }
      case INT32 -> {
        if ((value instanceof Integer || value instanceof Long)
            && ((Number) value).longValue() == ((Number) value).intValue()
            && (logical == null
                || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation)) {
          record.add(name, ((Number) value).intValue());
          return;
        }
      }
      case INT64 -> {
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp
            && value instanceof Instant instant) {
          long stored;
          try {
            stored = toUnit(instant, timestamp.getUnit());
          } catch (ArithmeticException e) {
            throw invalid(
                what,
                "column '%s' at row %d: %s is out of the range of Parquet type %s",
                name,
                row,
                instant,
                type);
          }
          record.add(name, stored);
          return;
        }
        if (!(logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation)
            && (value instanceof Integer || value instanceof Long)) {
          record.add(name, ((Number) value).longValue());
          return;
        }
      }
      case FLOAT -> {
        if (value instanceof Number number && !(value instanceof Instant)) {
          record.add(name, number.floatValue());
          return;
        }
      }
      case DOUBLE -> {
        if (value instanceof Number number) {
          record.add(name, number.doubleValue());
          return;
        }
      }
      case BINARY -> {
        if (value instanceof String text) {
          record.add(name, text);
          return;
        }
        if (value instanceof byte[] bytes) {
          record.add(name, Binary.fromConstantByteArray(bytes));
          return;
        }
      }
      default -> {
        // reported below
      }
    }
    throw invalid(
        what,
        "column '%s' at row %d: cannot write %s to Parquet type %s",
        name,
        row,
        value.getClass().getSimpleName(),
        type);
  }

  private static long toUnit(Instant instant, LogicalTypeAnnotation.TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> instant.toEpochMilli();
      case MICROS ->
          Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
      case NANOS ->
          Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    };
  }

  private static Path write(String what, Path folder, MessageType schema, List<Group> records) {
    String id = UUID.randomUUID().toString();
    Path hidden = folder.resolve(HIDDEN_PREFIX + id + ".parquet.tmp");
    Path visible = folder.resolve("push-" + System.currentTimeMillis() + "-" + id + ".parquet");
    try {
      Files.createDirectories(folder);
      try (ParquetWriter<Group> writer =
          ExampleParquetWriter.builder(new LocalOutputFile(hidden))
              .withType(schema)
              .withConf(new PlainParquetConfiguration())
              .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
              .build()) {
        for (Group record : records) {
          writer.write(record);
        }
      }
      try {
        Files.move(hidden, visible, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(hidden, visible);
      }
      return visible;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(hidden);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof FeatureStoreException known) {
        throw known;
      }
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot append to %s: cannot write %s (%s)", what, folder, e);
    }
  }

  static FeatureStoreException invalid(String what, String format, Object... args) {
    return new FeatureStoreException(
        ErrorCode.INVALID_ARGUMENT,
        "Cannot append to " + what + ": " + String.format(format, args));
  }
}
