/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The complete, validated set of definitions of one project: what a registry version holds.
 *
 * <p>Lists are kept sorted by name so that equal definitions compare and hash equal whatever the
 * order of the files they came from.
 */
public record Definitions(
    String project,
    List<Entity> entities,
    List<ParquetSource> sources,
    List<FeatureView> featureViews,
    List<FeatureService> featureServices) {
  public Definitions {
    requireNonNull(project, "project is null");
    entities = sorted(entities, Entity::name);
    sources = sorted(sources, ParquetSource::name);
    featureViews = sorted(featureViews, FeatureView::name);
    featureServices = sorted(featureServices, FeatureService::name);
  }

  private static <T> List<T> sorted(List<T> items, Function<T, String> name) {
    requireNonNull(items, "list is null");
    List<T> copy = new ArrayList<>(items);
    copy.sort((a, b) -> name.apply(a).compareTo(name.apply(b)));
    return List.copyOf(copy);
  }

  /** Returns the entity with this name. */
  public Optional<Entity> entity(String name) {
    return entities.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** Returns the source with this name. */
  public Optional<ParquetSource> source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Returns the feature view with this name. */
  public Optional<FeatureView> featureView(String name) {
    return featureViews.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** Returns the feature service with this name. */
  public Optional<FeatureService> featureService(String name) {
    return featureServices.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Returns the feature view with this name or throws NOT_FOUND with the closest name. */
  public FeatureView requireFeatureView(String name) {
    return featureView(name)
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.NOT_FOUND,
                    "Cannot find feature view '%s'%s",
                    name,
                    Names.didYouMean(name, featureViews.stream().map(FeatureView::name).toList())));
  }

  /** Returns the feature service with this name or throws NOT_FOUND with the closest name. */
  public FeatureService requireFeatureService(String name) {
    return featureService(name)
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.NOT_FOUND,
                    "Cannot find feature service '%s'%s",
                    name,
                    Names.didYouMean(
                        name, featureServices.stream().map(FeatureService::name).toList())));
  }

  /** Returns the source of a view (validated definitions always have one). */
  public ParquetSource sourceOf(FeatureView view) {
    return source(view.source())
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.NOT_FOUND,
                    "Cannot find source '%s' of feature view '%s'",
                    view.source(),
                    view.name()));
  }

  /** Returns the entities of a view, in the view's order. */
  public List<Entity> entitiesOf(FeatureView view) {
    return view.entities().stream()
        .map(
            name ->
                entity(name)
                    .orElseThrow(
                        () ->
                            FeatureStoreException.of(
                                ErrorCode.NOT_FOUND,
                                "Cannot find entity '%s' of feature view '%s'",
                                name,
                                view.name())))
        .toList();
  }

  /** Returns the join keys of a view: the join keys of its entities, in order. */
  public List<JoinKey> joinKeysOf(FeatureView view) {
    return entitiesOf(view).stream().flatMap(e -> e.joinKeys().stream()).toList();
  }

  /**
   * Resolves references ({@code view:feature}, {@code view:*}) to typed features, in the order
   * given, without duplicates.
   *
   * @throws FeatureStoreException NOT_FOUND naming the unknown view or feature and the closest name
   */
  public List<ResolvedFeature> resolve(List<FeatureReference> references) {
    LinkedHashSet<ResolvedFeature> resolved = new LinkedHashSet<>();
    for (FeatureReference reference : references) {
      FeatureView view = requireFeatureView(reference.view());
      if (reference.isWildcard()) {
        view.features().forEach(f -> resolved.add(new ResolvedFeature(view, f)));
      } else {
        Feature feature =
            view.feature(reference.feature())
                .orElseThrow(
                    () ->
                        FeatureStoreException.of(
                            ErrorCode.NOT_FOUND,
                            "Cannot find feature '%s' in feature view '%s'%s",
                            reference.feature(),
                            view.name(),
                            Names.didYouMean(reference.feature(), view.featureNames())));
        resolved.add(new ResolvedFeature(view, feature));
      }
    }
    return List.copyOf(resolved);
  }

  /** Parses and resolves textual references. */
  public List<ResolvedFeature> resolveReferences(List<String> references) {
    return resolve(references.stream().map(FeatureReference::parse).toList());
  }

  /** Resolves every feature of a feature service. */
  public List<ResolvedFeature> resolveService(String serviceName) {
    return resolve(requireFeatureService(serviceName).features());
  }
}
