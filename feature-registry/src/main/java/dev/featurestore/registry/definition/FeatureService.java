/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A named set of features that a model consumes.
 *
 * @param name the service name
 * @param features the references, in declaration order
 * @param description free text, empty when absent
 */
public record FeatureService(String name, List<FeatureReference> features, String description) {
  public FeatureService {
    requireNonNull(name, "name is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
    description = description == null ? "" : description;
  }
}
