/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static java.util.Objects.requireNonNull;

/**
 * One breaking change of a plan: an added, removed or changed object, or a changed field, that
 * breaks consumers.
 *
 * @param path the object's path ({@code feature_views.driver_stats}) or the field's path ({@code
 *     feature_views.driver_stats.ttl})
 * @param reason why it breaks consumers, e.g. {@code TTL shortened: values expire sooner}
 */
public record BreakingChange(String path, String reason) {
  public BreakingChange {
    requireNonNull(path, "path is null");
    requireNonNull(reason, "reason is null");
  }

  /** Returns {@code path: reason}. */
  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
