/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import java.util.Set;

/**
 * A registry backend, found with {@link java.util.ServiceLoader}: a module registers its provider
 * in {@code META-INF/services/dev.featurestore.registry.store.RegistryProvider} and {@link
 * Registries#open} picks the one whose {@link #schemes()} holds the location's URI scheme. Local
 * paths and {@code file:} URIs are always a {@link FileRegistry}.
 */
public interface RegistryProvider {
  /** The URI schemes this provider opens, lowercase, e.g. {@code postgresql}. */
  Set<String> schemes();

  /**
   * Opens the registry at a location. Opening may connect and create the registry's storage
   * (tables, folders) but writes no version.
   *
   * @throws dev.featurestore.registry.FeatureStoreException UNAVAILABLE naming {@link
   *     RegistryLocation#redacted()} when the store cannot be reached; INVALID_ARGUMENT when the
   *     location or its options are invalid
   */
  Registry open(RegistryLocation location);
}
