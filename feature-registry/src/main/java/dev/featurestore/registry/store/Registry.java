/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.Definitions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.avro.Schema;

/**
 * A store of immutable registry versions, their feature view value schemas, the materializer's
 * watermarks, the views' statistics history and an append-only audit log (one {@link ApplyAudit}
 * per created version).
 *
 * <p>Every implementation makes {@link #apply(ApplyRequest)} an atomic compare-and-swap: a version
 * number is taken exactly once, a failed or interrupted apply leaves the previous version intact
 * and readable, and an apply whose {@link ApplyRequest#expectedLatest()} is no longer the latest
 * fails with CONFLICT without writing anything. Implementations are opened by a {@link
 * RegistryProvider} (see {@link Registries#open}).
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

  /** Returns every version with its audit entry (where one was recorded), oldest first. */
  List<RegistryVersion> history();

  /**
   * Stores the definitions as a new version after the current latest, with no expectation and no
   * audit details beyond what the registry knows; tests and tools use it, {@code apply} uses {@link
   * #apply(ApplyRequest)}.
   */
  default ApplyResult apply(Definitions definitions) {
    return apply(new ApplyRequest(definitions, OptionalLong.empty(), ApplyAudit.unknown()));
  }

  /**
   * Stores the definitions as a new version, unless they equal the latest version's definitions, in
   * which case that version is returned and nothing is written.
   *
   * @throws dev.featurestore.registry.FeatureStoreException CONFLICT, naming the latest version,
   *     when the request expects another latest version (checked atomically with the write);
   *     INVALID_ ARGUMENT when the registry was written by a newer {@link RegistryFormat};
   *     UNAVAILABLE when the store cannot be reached (nothing is written)
   */
  ApplyResult apply(ApplyRequest request);

  /**
   * Returns a feature view value schema ever applied to this registry by its Avro parsing
   * fingerprint (see {@code FeatureViewSchemas}), so values written under an old schema stay
   * readable.
   */
  Optional<Schema> schema(long fingerprint);

  /** Returns the value schema fingerprint each feature view of a version was applied with. */
  Map<String, Long> schemaFingerprints(long number);

  /**
   * Appends a version copied from another registry exactly as it was (number, time, hash, audit
   * entry and the schemas its views were applied with); {@code registry copy} uses it.
   *
   * @param version the version; its number must be the latest number plus one
   * @param schemas the value schema of each feature view of the version, by view name
   * @throws dev.featurestore.registry.FeatureStoreException CONFLICT when the number is not the
   *     next
   */
  void append(RegistryVersion version, Map<String, Schema> schemas);

  /** The materializer's incremental watermarks, stored in this registry. */
  Watermarks watermarks();

  /**
   * The statistics history of the feature views ({@code materialize} and {@code stats} append a run
   * each time they compute a view's statistics), stored in this registry.
   */
  StatisticsHistory statistics();

  /** Where the registry lives, for messages: never carries a password. */
  String location();

  /**
   * What an apply stores, and on which version it was planned.
   *
   * @param definitions the definitions of the new version
   * @param expectedLatest the version number the caller planned against (0: nothing applied yet);
   *     empty to apply after whatever is latest
   * @param audit who applies, from where, and what changes
   */
  record ApplyRequest(Definitions definitions, OptionalLong expectedLatest, ApplyAudit audit) {
    public ApplyRequest {
      requireNonNull(definitions, "definitions is null");
      requireNonNull(expectedLatest, "expectedLatest is null");
      requireNonNull(audit, "audit is null");
    }
  }

  /**
   * The outcome of an apply.
   *
   * @param version the new version, or the latest when the definitions equal it
   * @param created whether a version was written
   */
  record ApplyResult(RegistryVersion version, boolean created) {}
}
