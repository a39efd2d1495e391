/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One changed field of an object.
 *
 * @param path the full path, e.g. {@code feature_views.driver_stats.ttl} or {@code
 *     feature_views.driver_stats.features.conv_rate} (whose value is the feature's type)
 * @param before the old value; empty when the field was added
 * @param after the new value; empty when the field was removed
 * @param breaking why the change breaks consumers; empty when it does not
 */
public record FieldChange(
    String path, Optional<String> before, Optional<String> after, Optional<String> breaking) {
  public FieldChange {
    requireNonNull(path, "path is null");
    requireNonNull(before, "before is null");
    requireNonNull(after, "after is null");
    requireNonNull(breaking, "breaking is null");
  }

  /** Returns {@code path: before -> after}, {@code path: added x} or {@code path: removed x}. */
  @Override
  public String toString() {
    String change;
    if (before.isEmpty()) {
      change = "added " + after.orElseThrow();
    } else if (after.isEmpty()) {
      change = "removed (was " + before.get() + ")";
    } else {
      change = before.get() + " -> " + after.get();
    }
    return path + ": " + change + breaking.map(b -> "  [BREAKING: " + b + "]").orElse("");
  }
}
