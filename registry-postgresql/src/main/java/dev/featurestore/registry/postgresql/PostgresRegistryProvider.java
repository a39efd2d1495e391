/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.store.RegistryProvider;
import java.util.Set;

/** Opens {@code postgresql://} (and {@code postgres://}) registries: a {@link PostgresRegistry}. */
public final class PostgresRegistryProvider implements RegistryProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("postgresql", "postgres");
  }

  @Override
  public Registry open(RegistryLocation location) {
    return PostgresRegistry.open(PostgresSettings.of(location, System::getenv));
  }
}
