/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.FeatureView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A view's freshness at the time of the report: the age of its watermark (the end of the last
 * materialized window) against its {@code freshness} expectation.
 *
 * @param watermark the view's watermark; empty before its first materialization
 * @param expected the view's {@code freshness}; empty when it declares none
 * @param now when the report was made
 */
record Freshness(Optional<Instant> watermark, Optional<Duration> expected, Instant now) {
  enum Status {
    FRESH("fresh"),
    STALE("stale"),
    NEVER_MATERIALIZED("never materialized"),
    NO_EXPECTATION("no freshness expectation");

    final String label;

    Status(String label) {
      this.label = label;
    }
  }

  Freshness {
    requireNonNull(watermark, "watermark is null");
    requireNonNull(expected, "expected is null");
    requireNonNull(now, "now is null");
  }

  /** How old the watermark is; empty before the first materialization. */
  Optional<Duration> age() {
    return watermark.map(w -> Duration.between(w, now));
  }

  /**
   * Stale when the watermark is older than the expectation, or when a view that has one was never
   * materialized.
   */
  Status status() {
    if (FeatureView.isStale(expected, watermark, now)) {
      return Status.STALE;
    }
    if (watermark.isEmpty()) {
      return Status.NEVER_MATERIALIZED;
    }
    return expected.isEmpty() ? Status.NO_EXPECTATION : Status.FRESH;
  }

  boolean stale() {
    return status() == Status.STALE;
  }
}
