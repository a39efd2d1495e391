/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceColumnsTest {
  @Test
  void readsTheSameTypeAndLosslessWidening() {
    assertThat(SourceColumns.isReadableAs("int64", ValueType.INT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("int8", ValueType.INT32)).isTrue();
    assertThat(SourceColumns.isReadableAs("int16", ValueType.INT32)).isTrue();
    assertThat(SourceColumns.isReadableAs("int32", ValueType.INT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("int16", ValueType.INT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("int32", ValueType.FLOAT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("int64", ValueType.FLOAT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("float32", ValueType.FLOAT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("uint16", ValueType.INT32)).isTrue();
    assertThat(SourceColumns.isReadableAs("uint32", ValueType.INT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("timestamp_ntz", ValueType.TIMESTAMP)).isTrue();
    assertThat(SourceColumns.isReadableAs("array<int32>", ValueType.ARRAY_INT64)).isTrue();
    assertThat(SourceColumns.isReadableAs("array< float32 >", ValueType.ARRAY_FLOAT64)).isTrue();
  }

  @Test
  void rejectsNarrowingDecimalsAndOtherTypes() {
    assertThat(SourceColumns.isReadableAs("int64", ValueType.INT32)).isFalse();
    assertThat(SourceColumns.isReadableAs("float64", ValueType.FLOAT32)).isFalse();
    assertThat(SourceColumns.isReadableAs("int32", ValueType.FLOAT32)).isFalse();
    assertThat(SourceColumns.isReadableAs("float32", ValueType.INT64)).isFalse();
    assertThat(SourceColumns.isReadableAs("uint32", ValueType.INT32)).isFalse();
    assertThat(SourceColumns.isReadableAs("uint64", ValueType.INT64)).isFalse();
    assertThat(SourceColumns.isReadableAs("decimal(10,2)", ValueType.FLOAT64)).isFalse();
    assertThat(SourceColumns.isReadableAs("decimal(18,0)", ValueType.INT64)).isFalse();
    assertThat(SourceColumns.isReadableAs("string", ValueType.INT64)).isFalse();
    assertThat(SourceColumns.isReadableAs("int64", ValueType.STRING)).isFalse();
    assertThat(SourceColumns.isReadableAs("date", ValueType.TIMESTAMP)).isFalse();
    assertThat(SourceColumns.isReadableAs("array<int64>", ValueType.ARRAY_INT32)).isFalse();
    assertThat(SourceColumns.isReadableAs("int64", ValueType.ARRAY_INT64)).isFalse();
  }

  @Test
  void namesTheColumnItsTypeAndTheDeclaredTypeInEveryProblem() {
    ParquetSource source =
        new ParquetSource("trips_src", "data/trips", "ts", Optional.of("created"), "");
    FeatureView view =
        new FeatureView(
            "trips",
            List.of("driver"),
            "trips_src",
            Duration.ZERO,
            true,
            List.of(
                Feature.of("trips", ValueType.INT32),
                Feature.of("price", ValueType.FLOAT64),
                Feature.of("tags", ValueType.ARRAY_STRING)),
            Map.of(),
            "");
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("driver_id", "int32");
    columns.put("ts", "timestamp");
    columns.put("trips", "int64");
    columns.put("price", "decimal(10,2)");
    columns.put("tag", "array<string>");

    List<SourceColumns.Problem> problems =
        SourceColumns.check(
            source,
            columns,
            SourceColumns.uses(
                source, view, List.of(new JoinKey("driver_id", ValueType.INT64)), view.features()));

    assertThat(problems)
        .extracting(SourceColumns.Problem::describe)
        .containsExactly(
            "source 'trips_src' (data/trips) has no column 'created' for its"
                + " created_timestamp_field (columns: driver_id, price, tag, trips, ts)",
            "column 'trips' of source 'trips_src' (data/trips) is int64 but feature 'trips' of"
                + " feature view 'trips' is int32: not every int64 value converts exactly to int32"
                + " (only lossless widening is read: int8/int16 to int32, any integer to int64 or"
                + " float64, float32 to float64)",
            "column 'price' of source 'trips_src' (data/trips) is decimal(10,2) but feature"
                + " 'price' of feature view 'trips' is float64: decimals are not converted; write"
                + " the column as float64, or as int64 for whole numbers",
            "source 'trips_src' (data/trips) has no column 'tags' for feature 'tags' of feature"
                + " view 'trips' (did you mean 'tag'?)");
    assertThat(problems)
        .extracting(p -> p.use().definitionPath())
        .containsExactly(
            "sources.trips_src.created_timestamp_field",
            "feature_views.trips.features.trips.type",
            "feature_views.trips.features.price.type",
            "feature_views.trips.features.tags.type");
  }
}
