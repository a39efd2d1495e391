/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.snapshot;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.store.RegistryVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.apache.avro.Schema;

/**
 * One immutable registry version prepared for serving. A request takes the current snapshot once
 * and uses only it, so a reload in the middle of a request never mixes two versions.
 *
 * @param version the registry version, empty before the first apply
 * @param readers a reader per feature view, by view name
 * @param writerSchemas finds older writer schemas by fingerprint (the registry's schema store)
 */
public record ServingSnapshot(
    String project,
    Optional<RegistryVersion> version,
    Map<String, ViewReader> readers,
    LongFunction<Optional<Schema>> writerSchemas) {
  public ServingSnapshot {
    requireNonNull(project, "project is null");
    requireNonNull(version, "version is null");
    readers = Map.copyOf(requireNonNull(readers, "readers is null"));
    requireNonNull(writerSchemas, "writerSchemas is null");
  }

  /** Prepares a registry version for serving. */
  public static ServingSnapshot of(
      String project, RegistryVersion version, LongFunction<Optional<Schema>> writerSchemas) {
    Definitions definitions = version.definitions();
    Map<String, ViewReader> readers = new LinkedHashMap<>();
    for (FeatureView view : definitions.featureViews()) {
      readers.put(
          view.name(), ViewReader.of(definitions.project(), view, definitions.joinKeysOf(view)));
    }
    return new ServingSnapshot(definitions.project(), Optional.of(version), readers, writerSchemas);
  }

  /** A snapshot of a registry with no applied version. */
  public static ServingSnapshot empty(String project) {
    return new ServingSnapshot(project, Optional.empty(), Map.of(), fp -> Optional.empty());
  }

  /** Returns the definitions or throws UNAVAILABLE when nothing has been applied yet. */
  public Definitions definitions() {
    return version
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.UNAVAILABLE,
                    "Cannot serve project '%s': its registry has no applied version yet"
                        + " (run `featurestore apply` in the repo)",
                    project))
        .definitions();
  }

  /** Returns the version number, 0 before the first apply. */
  public long versionNumber() {
    return version.map(RegistryVersion::number).orElse(0L);
  }

  /** Returns the reader of a view (the view must exist in this snapshot). */
  public ViewReader reader(String viewName) {
    ViewReader reader = readers.get(viewName);
    if (reader == null) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR, "Cannot read feature view '%s': not in snapshot", viewName);
    }
    return reader;
  }
}
