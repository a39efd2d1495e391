/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an executor needs to encode one view's values: a serializable copy of the parts of the
 * definitions that the key and value codec read (the registry records are not serializable).
 */
public record ViewSpec(
    String project,
    String view,
    List<String> entities,
    String source,
    long ttlMillis,
    List<String> featureNames,
    List<ValueType> featureTypes,
    List<String> joinKeyNames,
    List<ValueType> joinKeyTypes)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public ViewSpec {
    requireNonNull(project, "project is null");
    requireNonNull(view, "view is null");
    entities = List.copyOf(entities);
    requireNonNull(source, "source is null");
    featureNames = List.copyOf(featureNames);
    featureTypes = List.copyOf(featureTypes);
    joinKeyNames = List.copyOf(joinKeyNames);
    joinKeyTypes = List.copyOf(joinKeyTypes);
  }

  public static ViewSpec of(String project, FeatureView view, List<JoinKey> joinKeys) {
    return new ViewSpec(
        project,
        view.name(),
        view.entities(),
        view.source(),
        view.ttl().toMillis(),
        view.featureNames(),
        view.features().stream().map(Feature::type).toList(),
        joinKeys.stream().map(JoinKey::name).toList(),
        joinKeys.stream().map(JoinKey::type).toList());
  }

  /** Rebuilds the view (names and types only: what the codec reads). */
  public FeatureView featureView() {
    List<Feature> features =
        java.util.stream.IntStream.range(0, featureNames.size())
            .mapToObj(i -> Feature.of(featureNames.get(i), featureTypes.get(i)))
            .toList();
    return new FeatureView(
        view, entities, source, Duration.ofMillis(ttlMillis), true, features, Map.of(), "");
  }

  /** Rebuilds the join keys. */
  public List<JoinKey> joinKeys() {
    return java.util.stream.IntStream.range(0, joinKeyNames.size())
        .mapToObj(i -> new JoinKey(joinKeyNames.get(i), joinKeyTypes.get(i)))
        .toList();
  }
}
