/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;

/** A hand-written in-memory registry: versions in a list, every applied view schema kept. */
public final class InMemoryRegistry implements Registry {
  private final List<RegistryVersion> versions = new CopyOnWriteArrayList<>();
  private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();

  @Override
  public Optional<RegistryVersion> latest() {
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  @Override
  public RegistryVersion version(long number) {
    return versions.stream()
        .filter(v -> v.number() == number)
        .findFirst()
        .orElseThrow(
            () -> FeatureStoreException.of(ErrorCode.NOT_FOUND, "Cannot find version %d", number));
  }

  @Override
  public List<RegistryVersion> history() {
    return List.copyOf(versions);
  }

  @Override
  public synchronized ApplyResult apply(Definitions definitions) {
    Optional<RegistryVersion> latest = latest();
    if (latest.isPresent() && latest.get().definitions().equals(definitions)) {
      return new ApplyResult(latest.get(), false);
    }
    for (FeatureView view : definitions.featureViews()) {
      Schema schema = FeatureViewSchemas.schemaOf(definitions.project(), view);
      schemas.put(FeatureViewSchemas.fingerprint(schema), schema);
    }
    RegistryVersion version =
        new RegistryVersion(
            versions.size() + 1,
            Integer.toHexString(definitions.hashCode()),
            Instant.now(),
            definitions);
    versions.add(version);
    return new ApplyResult(version, true);
  }

  @Override
  public Optional<Schema> schema(long fingerprint) {
    return Optional.ofNullable(schemas.get(fingerprint));
  }
}
