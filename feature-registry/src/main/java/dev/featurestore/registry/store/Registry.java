/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import dev.featurestore.registry.definition.Definitions;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A store of immutable registry versions. Implementations make {@link #apply} atomic: a failed or
 * interrupted apply leaves the previous version intact and readable, and of two concurrent applies
 * one fails with a CONFLICT error or both serialize.
 */
public interface Registry {
  /** Returns the latest applied version; empty before the first apply. */
  Optional<RegistryVersion> latest();

  /**
   * Returns a version by number.
   *
   * @throws dev.featurestore.registry.FeatureStoreException NOT_FOUND when there is no such version
   */
  RegistryVersion version(long number);

  /** Returns every version, oldest first. */
  List<RegistryVersion> history();

  /**
   * Stores the definitions as a new version, unless they equal the latest version's definitions, in
   * which case that version is returned and nothing is written.
   */
  ApplyResult apply(Definitions definitions);

  /**
   * Returns a feature view value schema ever applied to this registry by its Avro parsing
   * fingerprint (see {@code FeatureViewSchemas}), so values written under an old schema stay
   * readable.
   */
  Optional<Schema> schema(long fingerprint);

  /** The outcome of an apply. */
  record ApplyResult(RegistryVersion version, boolean created) {}
}
