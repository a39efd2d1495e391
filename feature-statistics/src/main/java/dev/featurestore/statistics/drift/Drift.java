/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static org.apache.spark.sql.functions.col;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.spark.SourceRows;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares every feature of a training set with current values: PSI of numbers over the training
 * set's quantile buckets and of categories over its values plus "other", and KS of numbers (see
 * {@link Psi}, {@link NumericBins}, {@link Categories}, {@link KolmogorovSmirnov}).
 *
 * <p>Three Spark passes, each over only the compared columns, each folding rows into mergeable
 * {@link ColumnProfile}s per partition (nothing but those reaches the driver): the training set
 * once to sketch it (KLL of numbers, frequent items of categories), which gives the buckets; the
 * training set again to count its values per bucket exactly; and the current values of each view
 * once, counting per bucket and sketching numbers for KS.
 */
public final class Drift {
  private Drift() {}

  /**
   * Compares a training set with the source rows of its views whose event time is in [start, end).
   *
   * @param pathResolver turns a source path as written into a location ({@code repo::resolve})
   * @throws FeatureStoreException NOT_FOUND when a feature is no longer in the definitions,
   *     INVALID_ARGUMENT for a bad range, INVALID_DATA when the training set is unreadable or a
   *     view has no rows in the range
   */
  public static DriftReport againstSources(
      SparkSession spark,
      Definitions definitions,
      Function<String, URI> pathResolver,
      TrainingSet trainingSet,
      Instant start,
      Instant end,
      DriftOptions options) {
    return run(
        spark,
        definitions,
        trainingSet,
        new SourceValues(spark, definitions, pathResolver, start, end),
        options);
  }

  /**
   * Checks a range of source rows to compare, before anything is read.
   *
   * @throws FeatureStoreException INVALID_ARGUMENT when {@code start} is not before {@code end}
   */
  public static void checkRange(Instant start, Instant end) {
    if (!start.isBefore(end)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Invalid range: --start %s is not before --end %s; give a start before the end",
          start,
          end);
    }
  }

  /**
   * Compares a training set with the values an online store serves now for sampled entities.
   *
   * @param lookupTime when the values were looked up (the report's end)
   * @throws FeatureStoreException NOT_FOUND when a feature is no longer in the definitions,
   *     INVALID_DATA when the training set is unreadable or no entity of a view is online
   */
  public static DriftReport againstServed(
      SparkSession spark,
      Definitions definitions,
      TrainingSet trainingSet,
      ServedValues served,
      Instant lookupTime,
      DriftOptions options) {
    return run(
        spark, definitions, trainingSet, new ServedCurrentValues(served, lookupTime), options);
  }

  static DriftReport run(
      SparkSession spark,
      Definitions definitions,
      TrainingSet trainingSet,
      CurrentValues current,
      DriftOptions options) {
    List<DriftFeature> features = DriftFeature.resolve(definitions, trainingSet);
    List<DriftFeature> compared =
        features.stream().filter(f -> f.comparison() != Comparison.SKIPPED).toList();
    Map<DriftFeature, ColumnProfile> training = new LinkedHashMap<>();
    Map<DriftFeature, ColumnProfile> now = new LinkedHashMap<>();
    if (!compared.isEmpty()) {
      Dataset<Row> trainingRows = readTraining(spark, trainingSet, compared);
      String action = "compute drift of the training set at " + trainingSet.location();
      Profiles sketched =
          new Profiles(compared.stream().map(f -> ColumnProfile.sketching(f.comparison())).toList())
              .of(trainingRows, action);
      List<ColumnProfile> counting = new ArrayList<>();
      List<DriftFeature> bucketed = new ArrayList<>();
      for (int i = 0; i < compared.size(); i++) {
        DriftFeature feature = compared.get(i);
        ColumnProfile sketch = sketched.column(i);
        training.put(feature, sketch);
        if (sketch.values() > 0) {
          bucketed.add(feature);
          counting.add(
              feature.comparison() == Comparison.NUMBER
                  ? ColumnProfile.counting(
                      NumericBins.ofQuantiles(sketch.kll(), options.bins()), false)
                  : ColumnProfile.counting(Categories.ofTraining(sketch.items())));
        }
      }
      if (!bucketed.isEmpty()) {
        Dataset<Row> bucketedRows =
            trainingRows.select(
                bucketed.stream()
                    .map(f -> col(SourceRows.quote(f.trainingColumn())))
                    .toArray(Column[]::new));
        Profiles counted = new Profiles(counting).of(bucketedRows, action);
        for (int i = 0; i < bucketed.size(); i++) {
          // Keep the sketch (KS needs it); take the exact counts of the second pass.
          training.put(
              bucketed.get(i), withSketch(counted.column(i), training.get(bucketed.get(i))));
        }
        now.putAll(currentProfiles(current, bucketed, counting));
      }
    }
    List<FeatureDrift> results = new ArrayList<>();
    for (DriftFeature feature : features) {
      results.add(score(feature, training.get(feature), now.get(feature), options));
    }
    return new DriftReport(
        trainingSet.location(),
        current.against(),
        current.start(),
        current.end(),
        options.threshold(),
        results.stream().anyMatch(FeatureDrift::drifted),
        results);
  }

  private static Dataset<Row> readTraining(
      SparkSession spark, TrainingSet trainingSet, List<DriftFeature> compared) {
    Dataset<Row> rows;
    try {
      rows = spark.read().parquet(trainingSet.location());
    } catch (Exception e) { // AnalysisException is checked, but Scala throws it undeclared.
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          String.format(
              "Cannot compute drift: cannot read the training set at %s: %s",
              trainingSet.location(), SourceReader.firstLine(e)),
          e);
    }
    compared.forEach(f -> f.checkTrainingColumn(rows.schema(), trainingSet.location()));
    return rows.select(
        compared.stream()
            .map(f -> f.trainingValues().as(f.trainingColumn()))
            .toArray(Column[]::new));
  }

  /** One pass per view over its current values, with the training buckets. */
  private static Map<DriftFeature, ColumnProfile> currentProfiles(
      CurrentValues current, List<DriftFeature> bucketed, List<ColumnProfile> counting) {
    Map<FeatureView, List<Integer>> byView = new LinkedHashMap<>();
    for (int i = 0; i < bucketed.size(); i++) {
      byView.computeIfAbsent(bucketed.get(i).resolved().view(), v -> new ArrayList<>()).add(i);
    }
    Map<DriftFeature, ColumnProfile> profiles = new LinkedHashMap<>();
    for (Map.Entry<FeatureView, List<Integer>> view : byView.entrySet()) {
      List<DriftFeature> features = view.getValue().stream().map(bucketed::get).toList();
      List<ColumnProfile> empty =
          view.getValue().stream().map(i -> currentProfile(counting.get(i))).toList();
      Profiles counted = current.profile(view.getKey(), features, new Profiles(empty));
      for (int i = 0; i < features.size(); i++) {
        profiles.put(features.get(i), counted.column(i));
      }
    }
    return profiles;
  }

  /** The current side counts with the training buckets and sketches numbers for KS. */
  private static ColumnProfile currentProfile(ColumnProfile trainingCounts) {
    return trainingCounts
        .bins()
        .map(bins -> ColumnProfile.counting(bins, true))
        .orElseGet(() -> ColumnProfile.counting(trainingCounts.categories().orElseThrow()));
  }

  private static ColumnProfile withSketch(ColumnProfile counts, ColumnProfile sketch) {
    return counts.withKll(sketch.kll());
  }

  static FeatureDrift score(
      DriftFeature feature, ColumnProfile training, ColumnProfile current, DriftOptions options) {
    String view = feature.resolved().view().name();
    String name = feature.resolved().feature().name();
    Optional<String> skipped = Comparison.skipReason(feature.type());
    if (skipped.isPresent()) {
      return new FeatureDrift(
          view,
          name,
          feature.type(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          false,
          0,
          0,
          skipped);
    }
    if (training.values() == 0) {
      return new FeatureDrift(
          view,
          name,
          feature.type(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          false,
          0,
          current == null ? 0 : current.values(),
          Optional.of("not compared: every training value is null"));
    }
    if (current.values() == 0) {
      return new FeatureDrift(
          view,
          name,
          feature.type(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          true,
          training.values(),
          0,
          Optional.of(
              String.format("drifted: every current value is null (%d rows)", current.nulls())));
    }
    double psi = Psi.of(training.counts(), current.counts());
    OptionalDouble ks =
        feature.comparison() == Comparison.NUMBER
            ? OptionalDouble.of(KolmogorovSmirnov.statistic(training.kll(), current.kll()))
            : OptionalDouble.empty();
    return new FeatureDrift(
        view,
        name,
        feature.type(),
        OptionalDouble.of(psi),
        ks,
        psi > options.threshold(),
        training.values(),
        current.values(),
        Optional.empty());
  }
}
