/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.spark.SourceRows;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The current values of a view: its source rows whose event time is in [start, end], opened and
 * checked by the shared {@link SourceReader} (the reader the materializer and the statistics use),
 * the range filter on the stored timestamp column so that Parquet skips row groups outside it.
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
    if (!start.isBefore(end)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Invalid range: --start %s is not before --end %s; give a start before the end",
          start,
          end);
    }
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
    ParquetSource source = definitions.sourceOf(view);
    String location = pathResolver.apply(source.path()).toString();
    List<Feature> read = features.stream().map(f -> f.resolved().feature()).toList();
    SourceRows data =
        SourceReader.read(
            spark, action, view, source, location, definitions.joinKeysOf(view), read);
    Column[] projection =
        features.stream()
            .map(
                f ->
                    f.compared(data.column(f.resolved().feature().sourceColumn(), f.type()))
                        .as(f.resolved().feature().name()))
            .toArray(Column[]::new);
    Dataset<Row> rows =
        data.rows().filter(data.eventTimeWithin(Optional.of(start), end)).select(projection);
    Profiles profiles = empty.of(rows, action);
    if (profiles.rows() == 0) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot %s: its source '%s' at %s has no rows with %s in [%s, %s]; give --start and"
              + " --end around the data to compare (the default is the 7 days up to now)",
          action,
          source.name(),
          location,
          source.timestampField(),
          start,
          end);
    }
    return profiles;
  }
}
