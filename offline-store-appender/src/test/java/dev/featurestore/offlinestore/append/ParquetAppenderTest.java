/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offlinestore.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.offlinestore.append.ParquetAppender.Column;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetAppenderTest {
  /** A schema as Spark writes it by default: INT96 timestamps, optional columns. */
  static final MessageType SPARK =
      MessageTypeParser.parseMessageType(
          """
          message spark_schema {
            optional int64 driver_id;
            optional int96 event_timestamp;
            optional double conv_rate;
            optional binary city (STRING);
            optional group embedding (LIST) { repeated group list { optional float element; } }
          }
          """);

  @TempDir Path folder;

  static final List<Column> ROWS =
      List.of(
          new Column("driver_id", ValueType.INT64, List.of(1001L, 1002L)),
          new Column(
              "event_timestamp",
              ValueType.TIMESTAMP,
              List.of(Instant.parse("2026-11-21T10:00:00.123456Z"), Instant.EPOCH)),
          new Column("conv_rate", ValueType.FLOAT64, Arrays.asList(0.5, null)),
          new Column("city", ValueType.STRING, List.of("Oslo", "Lima")),
          new Column(
              "embedding",
              ValueType.ARRAY_FLOAT32,
              Arrays.asList(Arrays.asList(1.5f, null), List.of())));

  private void existing(MessageType schema) throws IOException {
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(folder.resolve("part-0.parquet")))
            .withType(schema)
            .withConf(new PlainParquetConfiguration())
            .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
            .build()) {
      Group row = new SimpleGroupFactory(schema).newGroup();
      row.add("driver_id", 7L);
      row.add("event_timestamp", Binary.fromConstantByteArray(new byte[12]));
      writer.write(row);
    }
  }

  private List<String> files() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void appendsOneFileWithTheFoldersSchemaAndInt96AsMicros() throws IOException {
    existing(SPARK);

    Path file = ParquetAppender.append("source 's'", folder, ROWS);

    assertThat(file.getParent()).isEqualTo(folder);
    assertThat(file.getFileName().toString()).startsWith("push-").endsWith(".parquet");
    assertThat(files()).containsExactly("part-0.parquet", file.getFileName().toString());
    assertThat(ParquetFiles.rowCount(file)).isEqualTo(2);
    assertThat(ParquetFiles.readSchema("f", file).toString())
        .isEqualTo(
            SPARK
                .toString()
                .replace(
                    "optional int96 event_timestamp;",
                    "optional int64 event_timestamp (TIMESTAMP(MICROS,true));"));
  }

  @Test
  void makesTheSchemaFromTheRegistryTypesInAnEmptyFolder() {
    Path file = ParquetAppender.append("source 's'", folder.resolve("new"), ROWS);

    assertThat(ParquetFiles.rowCount(file)).isEqualTo(2);
    assertThat(ParquetFiles.readSchema("f", file).toString())
        .isEqualTo(
            """
            message spark_schema {
              optional int64 driver_id;
              optional int64 event_timestamp (TIMESTAMP(MICROS,true));
              optional double conv_rate;
              optional binary city (STRING);
              optional group embedding (LIST) {
                repeated group list {
                  optional float element;
                }
              }
            }
            """);
  }

  @Test
  void skipsHiddenFilesWhenReadingTheSchema() throws IOException {
    Files.writeString(folder.resolve("_SUCCESS"), "");
    Files.writeString(folder.resolve(".part-0.parquet.crc"), "not parquet");
    existing(SPARK);

    assertThat(ParquetFiles.firstDataFile(folder)).contains(folder.resolve("part-0.parquet"));
  }

  @Test
  void rejectsAColumnOutsideTheSchemaAndWritesNothing() throws IOException {
    existing(SPARK);
    List<Column> extra =
        List.of(ROWS.get(0), new Column("speed", ValueType.FLOAT64, List.of(1.0, 2.0)));

    assertThatThrownBy(() -> ParquetAppender.append("source 's'", folder, extra))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot append to source 's': column 'speed' is not in the Parquet schema of "
                + folder
                + " (its columns: [driver_id, event_timestamp, conv_rate, city, embedding])");
    assertThat(files()).containsExactly("part-0.parquet");
  }

  @Test
  void rejectsAValueOfTheWrongTypeNamingColumnAndRowAndWritesNothing() throws IOException {
    existing(SPARK);
    List<Column> wrong =
        List.of(ROWS.get(0), new Column("city", ValueType.STRING, List.of("Oslo", 12L)));

    assertThatThrownBy(() -> ParquetAppender.append("source 's'", folder, wrong))
        .hasMessage(
            "Cannot append to source 's': column 'city' at row 1: cannot write Long to Parquet"
                + " type optional binary city (STRING)");
    assertThat(files()).containsExactly("part-0.parquet");
  }

  @Test
  void rejectsATimestampBeyondTheFilesUnitAndWritesNothing() throws IOException {
    MessageType nanos =
        MessageTypeParser.parseMessageType(
            "message m { optional int64 event_timestamp (TIMESTAMP(NANOS,true)); }");
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(folder.resolve("part-0.parquet")))
            .withType(nanos)
            .withConf(new PlainParquetConfiguration())
            .build()) {
      writer.write(new SimpleGroupFactory(nanos).newGroup().append("event_timestamp", 0L));
    }
    List<Column> late =
        List.of(
            new Column(
                "event_timestamp",
                ValueType.TIMESTAMP,
                List.of(Instant.EPOCH, Instant.parse("2263-01-01T00:00:00Z"))));

    assertThatThrownBy(() -> ParquetAppender.append("source 's'", folder, late))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot append to source 's': column 'event_timestamp' at row 1:"
                + " 2263-01-01T00:00:00Z is out of the range of Parquet type optional int64"
                + " event_timestamp (TIMESTAMP(NANOS,true))");
    assertThat(files()).containsExactly("part-0.parquet");
  }

  @Test
  void rejectsUnequalColumns() {
    List<Column> unequal =
        List.of(ROWS.get(0), new Column("city", ValueType.STRING, List.of("Oslo")));

    assertThatThrownBy(() -> ParquetAppender.append("source 's'", folder, unequal))
        .hasMessage(
            "Cannot append to source 's': column 'city' has 1 values but 'driver_id' has 2");
  }
}
