/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.spark.SourceRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One view's source rows in a window, projected as {@code PartitionWriter} expects them: the join
 * keys ({@code k0..}; int32 keys widened to int64, as the key codec encodes them), the event and
 * created timestamps as epoch microseconds, then the features ({@code f0..}) as the exact Spark
 * types of their value types (the writer reads them with typed getters). The source is opened and
 * checked by the shared {@link SourceReader}; the window filter is on the stored timestamp column,
 * so Parquet pushes it down, and only the needed columns are read.
 *
 * @param rows the projected rows
 * @param keysPresent the condition "every join key is set"
 * @param keyColumns the key columns {@code k0..}
 */
record ViewRows(Dataset<Row> rows, Column keysPresent, List<Column> keyColumns) {

  static ViewRows read(
      SparkSession spark,
      FeatureView view,
      ParquetSource source,
      List<JoinKey> joinKeys,
      String location,
      Optional<Instant> start,
      Instant end) {
    SourceRows data =
        SourceReader.read(
            spark,
            "materialize feature view '" + view.name() + "'",
            view,
            source,
            location,
            joinKeys,
            view.features());
    List<Column> projection = new ArrayList<>();
    List<Column> keyColumns = new ArrayList<>();
    Column present = lit(true);
    for (int i = 0; i < joinKeys.size(); i++) {
      JoinKey key = joinKeys.get(i);
      ValueType encoded = key.type() == ValueType.INT32 ? ValueType.INT64 : key.type();
      projection.add(data.column(key.name(), encoded).as("k" + i));
      keyColumns.add(col("k" + i));
      present = present.and(col("k" + i).isNotNull());
    }
    projection.add(unix_micros(data.eventTimestamp()).as("event_micros"));
    projection.add(
        data.createdTimestamp()
            .map(c -> unix_micros(c))
            .orElse(lit(null).cast("long"))
            .as("created_micros"));
    for (int i = 0; i < view.features().size(); i++) {
      Feature feature = view.features().get(i);
      projection.add(data.column(feature.sourceColumn(), feature.type()).as("f" + i));
    }
    Dataset<Row> rows =
        data.rows()
            .filter(data.eventTimeWithin(start, end))
            .select(projection.toArray(Column[]::new));
    return new ViewRows(rows, present, keyColumns);
  }
}
