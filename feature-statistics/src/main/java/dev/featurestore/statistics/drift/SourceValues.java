/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.spark.SourceRows;
import dev.featurestore.statistics.StatisticsInput;
import dev.featurestore.statistics.ViewStatisticsSource;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/**
 * The current values of a view: its source rows whose event time is in [start, end], read as the
 * statistics read them ({@link ViewStatisticsSource}: the shared {@code SourceReader}, the range
 * filter on the stored timestamp column so that Parquet skips row groups outside it), only the
 * compared columns selected.
 */
final class SourceValues implements CurrentValues {
  private final SparkSession spark;
  private final Definitions definitions;
  private final Function<String, URI> pathResolver;
  private final Instant start;
  private final Instant end;

  SourceValues(
      SparkSession spark,
      Definitions definitions,
      Function<String, URI> pathResolver,
      Instant start,
      Instant end) {
    this.spark = requireNonNull(spark, "spark is null");
    this.definitions = requireNonNull(definitions, "definitions is null");
    this.pathResolver = requireNonNull(pathResolver, "pathResolver is null");
    this.start = requireNonNull(start, "start is null");
    this.end = requireNonNull(end, "end is null");
    Drift.checkRange(start, end);
  }

  @Override
  public String against() {
    return DriftReport.OFFLINE;
  }

  @Override
  public Optional<Instant> start() {
    return Optional.of(start);
  }

  @Override
  public Instant end() {
    return end;
  }

  @Override
  public Profiles profile(FeatureView view, List<DriftFeature> features, Profiles empty) {
    String action = "compute drift of feature view '" + view.name() + "'";
    Function<String, String> location = path -> pathResolver.apply(path).toString();
    StatisticsInput input =
        ViewStatisticsSource.read(spark, definitions, view, location, Optional.of(start), end);
    Column[] projection =
        features.stream()
            .map(f -> f.compared(col(SourceRows.quote(f.resolved().feature().name()))))
            .toArray(Column[]::new);
    Profiles profiles = empty.of(input.rows().select(projection), action);
    if (profiles.rows() == 0) {
      ParquetSource source = definitions.sourceOf(view);
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot %s: its source '%s' at %s has no rows with %s in [%s, %s]; give --start and"
              + " --end around the data to compare (the default is the 7 days up to now)",
          action,
          source.name(),
          location.apply(source.path()),
          source.timestampField(),
          start,
          end);
    }
    return profiles;
  }
}
