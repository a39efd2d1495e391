/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
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
 * @param freshness how old the view's newest materialized data may get before it counts as stale
 *     (compared with its watermark); empty when the view declares no expectation
 * @param aggregations the view's windowed aggregations over raw events ({@code aggregations:});
 *     when present, {@code features} are the aggregations as features ({@link
 *     Aggregations#asFeatures}) and the view has no TTL. Empty for a view of plain features.
 */
public record FeatureView(
    String name,
    List<String> entities,
    String source,
    Duration ttl,
    boolean online,
    List<Feature> features,
    Map<String, String> tags,
    String description,
    Optional<Duration> freshness,
    Optional<Aggregations> aggregations)
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
    requireNonNull(freshness, "freshness is null");
    requireNonNull(aggregations, "aggregations is null");
    if (aggregations.isPresent()) {
      List<Feature> derived = aggregations.get().asFeatures();
      if (!features.isEmpty() && !features.equals(derived)) {
        throw new IllegalArgumentException(
            "Invalid feature view "
                + name
                + ": an aggregated view's features are its aggregations");
      }
      features = derived;
      if (!ttl.isZero()) {
        throw new IllegalArgumentException(
            "Invalid feature view " + name + ": an aggregated view has no TTL");
      }
    }
  }

  /** Creates a view of plain features (no aggregations). */
  public FeatureView(
      String name,
      List<String> entities,
      String source,
      Duration ttl,
      boolean online,
      List<Feature> features,
      Map<String, String> tags,
      String description,
      Optional<Duration> freshness) {
    this(
        name,
        entities,
        source,
        ttl,
        online,
        features,
        tags,
        description,
        freshness,
        Optional.empty());
  }

  /** Creates a view without a freshness expectation. */
  public FeatureView(
      String name,
      List<String> entities,
      String source,
      Duration ttl,
      boolean online,
      List<Feature> features,
      Map<String, String> tags,
      String description) {
    this(
        name,
        entities,
        source,
        ttl,
        online,
        features,
        tags,
        description,
        Optional.empty(),
        Optional.empty());
  }

  /** Returns this view with another freshness expectation. */
  public FeatureView withFreshness(Optional<Duration> newFreshness) {
    return new FeatureView(
        name,
        entities,
        source,
        ttl,
        online,
        features,
        tags,
        description,
        newFreshness,
        aggregations);
  }

  /** Returns this view with other aggregations (its features become theirs). */
  public FeatureView withAggregations(Optional<Aggregations> newAggregations) {
    return new FeatureView(
        name,
        entities,
        source,
        ttl,
        online,
        newAggregations.isPresent() ? List.of() : features,
        tags,
        description,
        freshness,
        newAggregations);
  }

  /** Whether the view computes windowed aggregations from raw events. */
  public boolean isAggregated() {
    return aggregations.isPresent();
  }

  /**
   * The one staleness rule (the online service's freshness gauges, {@code stats} and the report use
   * it): a view is stale at {@code now} when it declares a freshness and its watermark is missing
   * or older than that.
   *
   * @param watermark the end of the view's last incremental materialization; empty before one
   */
  public boolean isStaleAt(Optional<Instant> watermark, Instant now) {
    return isStale(freshness, watermark, now);
  }

  /** {@link #isStaleAt} for a freshness expectation held apart from its view. */
  public static boolean isStale(
      Optional<Duration> freshness, Optional<Instant> watermark, Instant now) {
    return freshness.isPresent()
        && (watermark.isEmpty()
            || Duration.between(watermark.get(), now).compareTo(freshness.get()) > 0);
  }

  /** Returns true when a feature of this view declares checks. */
  public boolean hasChecks() {
    return features.stream().anyMatch(f -> !f.checks().isEmpty());
  }

  private Object writeReplace() {
    return new Form(
        name,
        entities,
        source,
        ttl,
        online,
        features,
        tags,
        description,
        freshness.orElse(null),
        aggregations.orElse(null));
  }

  /**
   * The serialized form: nullable freshness and aggregations, as {@link Optional} is not
   * serializable.
   */
  private record Form(
      String name,
      List<String> entities,
      String source,
      Duration ttl,
      boolean online,
      List<Feature> features,
      Map<String, String> tags,
      String description,
      Duration freshness,
      Aggregations aggregations)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      return new FeatureView(
          name,
          entities,
          source,
          ttl,
          online,
          features,
          tags,
          description,
          Optional.ofNullable(freshness),
          Optional.ofNullable(aggregations));
    }
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
