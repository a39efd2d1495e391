/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A training set as its manifest describes it: where its Parquet files are and which column holds
 * which feature.
 *
 * @param location the folder, as Spark reads it
 * @param featureReferences the features ({@code view:feature}), in column order
 * @param featureColumns the column of each feature, same order
 */
public record TrainingSet(
    String location, List<String> featureReferences, List<String> featureColumns) {
  public TrainingSet {
    requireNonNull(location, "location is null");
    featureReferences = List.copyOf(requireNonNull(featureReferences, "featureReferences is null"));
    featureColumns = List.copyOf(requireNonNull(featureColumns, "featureColumns is null"));
    if (featureReferences.size() != featureColumns.size()) {
      throw new IllegalArgumentException(
          String.format(
              "%d feature references but %d columns",
              featureReferences.size(), featureColumns.size()));
    }
  }

  /**
   * The training set of a manifest's lists: the feature columns are the last columns, one per
   * reference in the same order (how {@code training-set} writes them: the entity columns, then the
   * features).
   */
  public static TrainingSet ofManifest(
      String location, List<String> featureReferences, List<String> columns) {
    int first = columns.size() - featureReferences.size();
    if (first < 0) {
      throw new IllegalArgumentException(
          String.format(
              "the manifest names %d features but only %d columns",
              featureReferences.size(), columns.size()));
    }
    return new TrainingSet(location, featureReferences, columns.subList(first, columns.size()));
  }
}
