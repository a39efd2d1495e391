/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static dev.featurestore.offline.TestData.field;
import static dev.featurestore.offline.TestData.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.parse.SourceSchemaReader;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetSourceSchemaReaderIT {
  @TempDir Path dir;

  @Test
  void readsDefinitionTypeNamesFromAParquetFooter() {
    StructType schema =
        schema(
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType),
            field("local_time", DataTypes.TimestampNTZType),
            field("trips", DataTypes.IntegerType),
            field("rate", DataTypes.FloatType),
            field("conv_rate", DataTypes.DoubleType),
            field("name", DataTypes.StringType),
            field("active", DataTypes.BooleanType),
            field("blob", DataTypes.BinaryType),
            field("embedding", DataTypes.createArrayType(DataTypes.FloatType)),
            field("tags", DataTypes.createArrayType(DataTypes.StringType)),
            field("day", DataTypes.DateType),
            field("small", DataTypes.ShortType),
            field("price", DataTypes.createDecimalType(10, 2)));
    SparkTestSession.get()
        .createDataFrame(List.of(), schema)
        .write()
        .parquet(dir.resolve("source").toString());

    Optional<Map<String, String>> columns =
        new ParquetSourceSchemaReader().read(dir.resolve("source").toUri());

    assertThat(columns)
        .hasValue(
            Map.ofEntries(
                Map.entry("driver_id", "int64"),
                Map.entry("event_timestamp", "timestamp"),
                Map.entry("local_time", "timestamp_ntz"),
                Map.entry("trips", "int32"),
                Map.entry("rate", "float32"),
                Map.entry("conv_rate", "float64"),
                Map.entry("name", "string"),
                Map.entry("active", "bool"),
                Map.entry("blob", "bytes"),
                Map.entry("embedding", "array<float32>"),
                Map.entry("tags", "array<string>"),
                Map.entry("day", "date"),
                Map.entry("small", "int16"),
                Map.entry("price", "decimal(10,2)")));
    assertThat(columns.orElseThrow().keySet())
        .containsExactly(schema.fieldNames()); // in file order
  }

  @Test
  void readsAFileAndAGlob() {
    StructType schema = schema(field("x", DataTypes.LongType));
    SparkTestSession.get()
        .createDataFrame(List.of(TestData.row(1L)), schema)
        .coalesce(1)
        .write()
        .parquet(dir.resolve("folder").toString());
    Path file =
        dir.resolve("folder")
            .toFile()
            .listFiles((d, name) -> name.endsWith(".parquet"))[0]
            .toPath();

    SourceSchemaReader reader = new ParquetSourceSchemaReader();
    assertThat(reader.read(file.toUri())).hasValue(Map.of("x", "int64"));
    assertThat(reader.read(java.net.URI.create(dir.toUri() + "fold*")))
        .hasValue(Map.of("x", "int64"));
  }

  @Test
  void isEmptyForAFolderWithoutDataYet() {
    assertThat(new ParquetSourceSchemaReader().read(dir.toUri())).isEmpty();
  }

  @Test
  void nothingAtThePathIsNotFoundRatherThanNoData() {
    java.net.URI missing = dir.resolve("missing").toUri();
    assertThatThrownBy(() -> new ParquetSourceSchemaReader().read(missing))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("nothing exists at " + missing)
        .satisfies(
            e ->
                assertThat(((FeatureStoreException) e).errorCode()).isEqualTo(ErrorCode.NOT_FOUND));
    java.net.URI glob = java.net.URI.create(dir.toUri() + "nothing*");
    assertThatThrownBy(() -> new ParquetSourceSchemaReader().read(glob))
        .hasMessage("nothing exists at " + glob);
  }

  @Test
  void aCorruptFooterIsAnErrorNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("part-0.parquet"), "not a parquet file at all");

    assertThatThrownBy(() -> new ParquetSourceSchemaReader().read(dir.toUri()))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "cannot read the Parquet footer of " + file.toUri().toString().replace("///", "/"))
        .hasMessageContaining("is not a Parquet file")
        .satisfies(
            e ->
                assertThat(((FeatureStoreException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_DATA));
  }

  @Test
  void isFoundByTheServiceLoader() {
    assertThat(ServiceLoader.load(SourceSchemaReader.class).stream().map(p -> p.type().getName()))
        .contains(ParquetSourceSchemaReader.class.getName());
  }
}
