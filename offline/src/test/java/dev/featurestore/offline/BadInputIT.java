/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static dev.featurestore.offline.TestData.at;
import static dev.featurestore.offline.TestData.field;
import static dev.featurestore.offline.TestData.frame;
import static dev.featurestore.offline.TestData.row;
import static dev.featurestore.offline.TestData.schema;
import static dev.featurestore.offline.TestData.writeParquet;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is reported clearly, before any heavy work starts. */
class BadInputIT {
  @TempDir static Path dir;
  private static HistoricalFeatures features;

  @BeforeAll
  static void writeSources() {
    Definitions definitions =
        new Definitions(
            "rides",
            List.of(entity("driver", key("driver_id", ValueType.INT64))),
            List.of(
                source("driver_source", "driver.parquet"),
                source("gone_source", "nowhere/gone.parquet")),
            List.of(
                view(
                    "driver_stats",
                    List.of("driver"),
                    "driver_source",
                    ofHours(1),
                    feature("conv_rate", ValueType.FLOAT64),
                    feature("trips", ValueType.INT64)),
                view(
                    "driver_ratings",
                    List.of("driver"),
                    "driver_source",
                    Duration.ZERO,
                    feature("trips", ValueType.INT64),
                    feature("rating", ValueType.FLOAT32),
                    feature("acc_rate", ValueType.FLOAT64)),
                view(
                    "retyped",
                    List.of("driver"),
                    "driver_source",
                    Duration.ZERO,
                    feature("conv_rate", ValueType.FLOAT32)),
                view(
                    "gone",
                    List.of("driver"),
                    "gone_source",
                    Duration.ZERO,
                    feature("x", ValueType.FLOAT64))),
            List.of());
    writeParquet(
        dir.resolve("driver.parquet"),
        schema(
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType),
            field("conv_rate", DataTypes.DoubleType),
            field("trips", DataTypes.LongType),
            field("rating", DataTypes.DoubleType)),
        row(1L, at(ofHours(0)), 0.1, 10L, 4.5));
    features =
        HistoricalFeatures.of(SparkTestSession.get(), definitions, p -> dir.resolve(p).toUri());
  }

  private static Dataset<Row> entities(StructType schema) {
    return frame(schema);
  }

  private static final StructType GOOD =
      schema(
          field("driver_id", DataTypes.LongType),
          field("event_timestamp", DataTypes.TimestampType),
          field("label", DataTypes.IntegerType));

  private static void assertFails(
      Dataset<Row> entities,
      List<String> references,
      TrainingSetOptions options,
      ErrorCode code,
      String message) {
    assertThatThrownBy(() -> features.historicalFeatures(entities, references, options))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining(message)
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(((FeatureStoreException) e).errorCode())
                    .isEqualTo(code));
  }

  @Test
  void rejectsAMissingTimestampColumn() {
    assertFails(
        entities(GOOD),
        List.of("driver_stats:trips"),
        TrainingSetOptions.defaults().withTimestampColumn("ts"),
        ErrorCode.INVALID_DATA,
        "Cannot build a training set: the entity dataframe has no timestamp column 'ts'"
            + " (columns present: driver_id, event_timestamp, label); name it with"
            + " --timestamp-column");
  }

  @Test
  void rejectsATimestampColumnOfAnotherType() {
    StructType schema =
        schema(
            field("driver_id", DataTypes.LongType), field("event_timestamp", DataTypes.StringType));
    assertFails(
        entities(schema),
        List.of("driver_stats:trips"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_DATA,
        "entity timestamp column 'event_timestamp' is string, expected timestamp");
  }

  @Test
  void rejectsAMissingKeyColumn() {
    StructType schema =
        schema(
            field("driver", DataTypes.LongType), field("event_timestamp", DataTypes.TimestampType));
    assertFails(
        entities(schema),
        List.of("driver_stats:trips"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_DATA,
        "Cannot join feature view 'driver_stats': the entity dataframe has no column 'driver_id'"
            + " for join key 'driver_id' of entity 'driver' (columns present: driver,"
            + " event_timestamp); map a differently named column with --join-key-map");
  }

  @Test
  void rejectsAKeyColumnOfAnotherType() {
    StructType schema =
        schema(
            field("driver_id", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType));
    assertFails(
        entities(schema),
        List.of("driver_stats:trips"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_DATA,
        "Cannot join feature view 'driver_stats': entity column 'driver_id' is string, but join"
            + " key 'driver_id' of entity 'driver' is int64 (bigint)");
  }

  @Test
  void rejectsAMappedColumnThatDoesNotExist() {
    assertFails(
        entities(GOOD),
        List.of("driver_stats:trips"),
        TrainingSetOptions.defaults().withJoinKeyMap(Map.of("driver", "driver_id")),
        ErrorCode.INVALID_ARGUMENT,
        "Cannot map entity column 'driver' to join key 'driver_id': no such column");
  }

  @Test
  void rejectsUnknownViewsAndFeaturesWithTheClosestName() {
    assertFails(
        entities(GOOD),
        List.of("driver_stat:trips"),
        TrainingSetOptions.defaults(),
        ErrorCode.NOT_FOUND,
        "Cannot find feature view 'driver_stat' (did you mean 'driver_stats'?)");
    assertFails(
        entities(GOOD),
        List.of("driver_stats:trip"),
        TrainingSetOptions.defaults(),
        ErrorCode.NOT_FOUND,
        "Cannot find feature 'trip' in feature view 'driver_stats' (did you mean 'trips'?)");
  }

  @Test
  void rejectsNameCollisionsSuggestingFullFeatureNames() {
    assertFails(
        entities(GOOD),
        List.of("driver_stats:trips", "driver_ratings:trips"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_ARGUMENT,
        "Cannot build a training set: features driver_stats:trips and driver_ratings:trips would"
            + " both be named 'trips'; use --full-feature-names");
    StructType schema =
        schema(
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType),
            field("trips", DataTypes.LongType));
    assertFails(
        entities(schema),
        List.of("driver_stats:trips"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_ARGUMENT,
        "feature driver_stats:trips would be named 'trips', which is already a column of the"
            + " entity dataframe; use --full-feature-names");
  }

  @Test
  void rejectsAnUnreadableSource() {
    assertFails(
        entities(GOOD),
        List.of("gone:x"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_DATA,
        "Cannot join feature view 'gone': cannot read source 'gone_source' at "
            + dir.resolve("nowhere/gone.parquet").toUri()
            + ": [PATH_NOT_FOUND] Path does not exist: ");
  }

  @Test
  void rejectsASourceThatNoLongerMatchesItsView() {
    assertFails(
        entities(GOOD),
        List.of("driver_ratings:acc_rate"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_DATA,
        "Cannot join feature view 'driver_ratings': source 'driver_source' (driver.parquet) has no"
            + " column 'acc_rate' for feature 'acc_rate' of feature view 'driver_ratings'"
            + " (columns: conv_rate, driver_id, event_timestamp, rating, trips). The source no"
            + " longer matches the view: fix the data or the definition and apply again");
    assertFails(
        entities(GOOD),
        List.of("driver_ratings:rating"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_DATA,
        "column 'rating' of source 'driver_source' (driver.parquet) is float64 but feature"
            + " 'rating' of feature view 'driver_ratings' is float32: not every float64 value"
            + " converts exactly to float32");
    assertFails(
        entities(GOOD),
        List.of("retyped:*"),
        TrainingSetOptions.defaults(),
        ErrorCode.INVALID_DATA,
        "Cannot join feature view 'retyped': column 'conv_rate' of source 'driver_source'"
            + " (driver.parquet) is float64 but feature 'conv_rate' of feature view 'retyped' is"
            + " float32: not every float64 value converts exactly to float32 (only lossless"
            + " widening is read: int8/int16 to int32, any integer to int64 or float64, float32"
            + " to float64). The source no longer matches the view: fix the data or the"
            + " definition and apply again");
  }
}
