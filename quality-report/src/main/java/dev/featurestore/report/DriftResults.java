/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the report reads of {@code featurestore drift --json} (the drift command's own records live
 * in the Spark module feature-statistics, which this plain module does not depend on). Times stay
 * the ISO-8601 text the command wrote; fields the report does not show are ignored.
 *
 * @param features every feature's scores
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DriftResults(
    @JsonProperty(value = "training_set", required = true) String trainingSet,
    @JsonProperty("against") String against,
    @JsonProperty("start") String start,
    @JsonProperty("end") String end,
    @JsonProperty(value = "threshold", required = true) double threshold,
    @JsonProperty(value = "drifted", required = true) boolean drifted,
    @JsonProperty(value = "features", required = true) List<Feature> features) {
  public DriftResults {
    requireNonNull(trainingSet, "training_set is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
  }

  /**
   * One feature's scores; {@code psi} is null when the feature was not compared ({@code note} says
   * why), {@code ks} also for categories.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Feature(
      @JsonProperty(value = "view", required = true) String view,
      @JsonProperty(value = "feature", required = true) String feature,
      @JsonProperty("type") String type,
      @JsonProperty("psi") Double psi,
      @JsonProperty("ks") Double ks,
      @JsonProperty(value = "drifted", required = true) boolean drifted,
      @JsonProperty("training_rows") long trainingRows,
      @JsonProperty("current_rows") long currentRows,
      @JsonProperty("note") String note) {
    public Feature {
      requireNonNull(view, "view is null");
      requireNonNull(feature, "feature is null");
    }
  }
}
