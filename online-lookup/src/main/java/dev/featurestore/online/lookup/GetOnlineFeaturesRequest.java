/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /get-online-features}, as Feast's feature server takes it.
 *
 * <p>Unknown fields (Feast's {@code include_feature_view_version_metadata}, {@code
 * request_context}) are ignored.
 *
 * @param features feature references {@code view:feature} (or {@code view:*}); or, when empty or
 *     null,
 * @param featureService the name of a feature service (an empty {@code features} next to it is no
 *     conflict: Feast's request model sends one)
 * @param entities join key columns of equal length, one row per entity; other columns are ignored
 * @param fullFeatureNames whether output names are {@code view__feature} (default false)
 */
public record GetOnlineFeaturesRequest(
    List<String> features,
    @JsonProperty("feature_service") String featureService,
    Map<String, List<Object>> entities,
    @JsonProperty("full_feature_names") Boolean fullFeatureNames) {

  /** Returns whether full feature names were asked for. */
  public boolean hasFullFeatureNames() {
    return Boolean.TRUE.equals(fullFeatureNames);
  }
}
