/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A group of features read from one source and keyed by one or more entities. Serializable (with
 * its {@link Feature}s), so that Spark ships it to the executors as it is.
 *
 * @param name the view name
 * @param entities the entity names; the view's key is the concatenation of their join keys
 * @param source the source name
 * @param ttl how long a value stays valid after its event timestamp; {@link Duration#ZERO} means no
 *     limit
 * @param online whether the view is materialized to the online store
 * @param features the features, in declaration order
 * @param tags free-form labels
 * @param description free text, empty when absent
 */
public record FeatureView(
    String name,
    List<String> entities,
    String source,
    Duration ttl,
    boolean online,
    List<Feature> features,
    Map<String, String> tags,
    String description)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public FeatureView {
    requireNonNull(name, "name is null");
    entities = List.copyOf(requireNonNull(entities, "entities is null"));
    requireNonNull(source, "source is null");
    requireNonNull(ttl, "ttl is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
    tags = Map.copyOf(requireNonNull(tags, "tags is null"));
    description = description == null ? "" : description;
  }

  /** Returns the TTL when the view has one; empty when values never expire. */
  public Optional<Duration> maxAge() {
    return ttl.isZero() ? Optional.empty() : Optional.of(ttl);
  }

  /** Returns the feature with this name. */
  public Optional<Feature> feature(String featureName) {
    return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
  }

  /** Returns the feature names in declaration order. */
  public List<String> featureNames() {
    return features.stream().map(Feature::name).toList();
  }
}
