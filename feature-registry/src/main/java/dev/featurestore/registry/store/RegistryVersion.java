/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.Definitions;
import java.time.Instant;
import java.util.Optional;

/**
 * One immutable applied version of a project's definitions.
 *
 * @param number the version number, starting at 1 and increasing by 1 with every apply
 * @param contentHash a SHA-256 (hex) of the canonical definitions; equal definitions hash equal
 * @param appliedAt when it was applied (UTC)
 * @param definitions the full resolved definitions
 * @param audit who applied it, from where, and what changed; empty for versions written before the
 *     audit log existed
 */
public record RegistryVersion(
    long number,
    String contentHash,
    Instant appliedAt,
    Definitions definitions,
    Optional<ApplyAudit> audit) {
  public RegistryVersion {
    requireNonNull(contentHash, "contentHash is null");
    requireNonNull(appliedAt, "appliedAt is null");
    requireNonNull(definitions, "definitions is null");
    requireNonNull(audit, "audit is null");
  }

  /** A version without an audit entry. */
  public RegistryVersion(
      long number, String contentHash, Instant appliedAt, Definitions definitions) {
    this(number, contentHash, appliedAt, definitions, Optional.empty());
  }
}
