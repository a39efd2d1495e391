/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the report reads of {@code featurestore verify --json}. Values and entity keys stay JSON
 * (they are shown as the command wrote them); fields the report does not show are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VerifyResults(
    @JsonProperty("lookup_time") String lookupTime,
    @JsonProperty("sample") long sample,
    @JsonProperty(value = "consistent", required = true) boolean consistent,
    @JsonProperty(value = "views", required = true) List<View> views) {
  public VerifyResults {
    views = List.copyOf(requireNonNull(views, "views is null"));
  }

  /** One view's comparison. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record View(
      @JsonProperty(value = "view", required = true) String view,
      @JsonProperty("entities") long entities,
      @JsonProperty("online_only") long onlineOnly,
      @JsonProperty("offline_only") long offlineOnly,
      @JsonProperty("newer_offline") long newerOffline,
      @JsonProperty(value = "features", required = true) List<Feature> features) {
    public View {
      requireNonNull(view, "view is null");
      features = List.copyOf(requireNonNull(features, "features is null"));
    }
  }

  /** One feature's matches and mismatches, with examples of the mismatches. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Feature(
      @JsonProperty(value = "feature", required = true) String feature,
      @JsonProperty("matches") long matches,
      @JsonProperty("mismatches") long mismatches,
      @JsonProperty("examples") List<Example> examples) {
    public Feature {
      requireNonNull(feature, "feature is null");
      examples = examples == null ? List.of() : List.copyOf(examples);
    }
  }

  /** One mismatching entity: both values and both timestamps. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Example(
      @JsonProperty("entity") JsonNode entity,
      @JsonProperty("online") JsonNode online,
      @JsonProperty("offline") JsonNode offline,
      @JsonProperty("online_timestamp") String onlineTimestamp,
      @JsonProperty("offline_timestamp") String offlineTimestamp) {}
}
