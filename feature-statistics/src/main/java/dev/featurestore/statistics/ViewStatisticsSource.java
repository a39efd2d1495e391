/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.spark.SourceRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A feature view's source rows with an event timestamp in a window, as {@code stats} computes their
 * statistics: opened and checked by the shared {@link SourceReader} (the window filter on the
 * stored column, so that Parquet skips row groups), each feature's column as its declared type
 * under the feature's name. Every row of the window counts, as in the source (no latest-per-key
 * reduction: that is what materialization writes, whose statistics it computes itself).
 */
public final class ViewStatisticsSource {
  private ViewStatisticsSource() {}

  /** Reads a view's rows in [start, end] with no allowed sets. */
  public static StatisticsInput read(
      SparkSession spark,
      Definitions definitions,
      FeatureView view,
      Function<String, String> sourceLocation,
      Optional<Instant> start,
      Instant end) {
    return read(spark, definitions, view, sourceLocation, start, end, Map.of());
  }

  /**
   * Reads a view's rows in [start, end].
   *
   * @param sourceLocation turns a source's {@code path} as written into a location Spark reads
   * @param allowed the allowed values by feature name (e.g. from the view's checks); features not
   *     in it get no {@code disallowed} count
   * @throws dev.featurestore.registry.FeatureStoreException INVALID_DATA when the source is
   *     unreadable or does not match the view
   */
  public static StatisticsInput read(
      SparkSession spark,
      Definitions definitions,
      FeatureView view,
      Function<String, String> sourceLocation,
      Optional<Instant> start,
      Instant end,
      Map<String, Set<String>> allowed) {
    requireNonNull(spark, "spark is null");
    requireNonNull(view, "view is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    requireNonNull(allowed, "allowed is null");
    ParquetSource source = definitions.sourceOf(view);
    SourceRows data =
        SourceReader.read(
            spark,
            "compute statistics of feature view '" + view.name() + "'",
            view,
            source,
            sourceLocation.apply(source.path()),
            List.of(),
            view.features());
    List<Column> projection = new ArrayList<>();
    List<StatisticsColumn> columns = new ArrayList<>();
    for (Feature feature : view.features()) {
      projection.add(data.column(feature.sourceColumn(), feature.type()).as(feature.name()));
      columns.add(
          new StatisticsColumn(
              feature.name(),
              feature.type(),
              feature.name(),
              Optional.ofNullable(allowed.get(feature.name()))));
    }
    Dataset<Row> rows =
        data.rows()
            .filter(data.eventTimeWithin(start, end))
            .select(projection.toArray(Column[]::new));
    return new StatisticsInput(rows, columns);
  }
}
