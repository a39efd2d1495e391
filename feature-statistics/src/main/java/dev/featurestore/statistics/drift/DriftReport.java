/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A drift run: every feature of a training set against current values. Its JSON (through {@code
 * QualityJson}) is what {@code featurestore drift --json} prints and {@code report --drift-json}
 * reads.
 *
 * @param trainingSet the training set's location
 * @param against {@code offline} (the views' source rows in [start, end]) or {@code online} (values
 *     served for sampled entities at {@code end})
 * @param start the range start; empty against online
 * @param end the range end, or the lookup time against online
 * @param threshold a feature drifts when its PSI is above this
 * @param drifted whether any feature drifted
 * @param features every feature of the training set, in its column order
 */
public record DriftReport(
    String trainingSet,
    String against,
    Optional<Instant> start,
    Instant end,
    double threshold,
    boolean drifted,
    List<FeatureDrift> features) {
  /** Against the views' source rows. */
  public static final String OFFLINE = "offline";

  /** Against the values the online store serves. */
  public static final String ONLINE = "online";

  public DriftReport {
    requireNonNull(trainingSet, "trainingSet is null");
    requireNonNull(against, "against is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
  }

  /** The features that drifted. */
  public List<FeatureDrift> driftedFeatures() {
    return features.stream().filter(FeatureDrift::drifted).toList();
  }
}
