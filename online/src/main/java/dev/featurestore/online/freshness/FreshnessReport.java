/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.freshness;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.FeatureView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The freshness of the served feature views at one instant ({@code GET /freshness}).
 *
 * @param checkedAt when the ages were computed
 * @param registryVersion the registry version served (0: none)
 * @param watermarksReadAt when the watermarks were last read from the registry; empty if never
 * @param watermarksError why the last read failed (the previous watermarks are shown); empty when
 *     it succeeded
 * @param views each served (online) view, by name
 */
public record FreshnessReport(
    Instant checkedAt,
    long registryVersion,
    Optional<Instant> watermarksReadAt,
    Optional<String> watermarksError,
    List<ViewFreshness> views) {
  public FreshnessReport {
    requireNonNull(checkedAt, "checkedAt is null");
    requireNonNull(watermarksReadAt, "watermarksReadAt is null");
    requireNonNull(watermarksError, "watermarksError is null");
    views = List.copyOf(requireNonNull(views, "views is null"));
  }

  /** The number of views whose freshness expectation is violated. */
  public int violations() {
    return (int) views.stream().filter(ViewFreshness::violated).count();
  }

  /**
   * One view's freshness.
   *
   * @param view the feature view
   * @param watermark the end of its last incremental materialization window; empty if none
   * @param watermarkAgeSeconds seconds from the watermark to {@code checkedAt}; empty without one
   * @param freshness its expectation as written in definitions ({@code 2h}); empty if it has none
   * @param freshnessSeconds the expectation in seconds; empty if it has none
   * @param violated whether it has an expectation and its watermark is older, or missing
   * @param newestServed the newest event timestamp served for it since the service started
   * @param servedAgeSeconds seconds from {@code newestServed} to {@code checkedAt}
   */
  public record ViewFreshness(
      String view,
      Optional<Instant> watermark,
      Optional<Double> watermarkAgeSeconds,
      Optional<String> freshness,
      Optional<Long> freshnessSeconds,
      boolean violated,
      Optional<Instant> newestServed,
      Optional<Double> servedAgeSeconds) {
    public ViewFreshness {
      requireNonNull(view, "view is null");
      requireNonNull(watermark, "watermark is null");
      requireNonNull(watermarkAgeSeconds, "watermarkAgeSeconds is null");
      requireNonNull(freshness, "freshness is null");
      requireNonNull(freshnessSeconds, "freshnessSeconds is null");
      requireNonNull(newestServed, "newestServed is null");
      requireNonNull(servedAgeSeconds, "servedAgeSeconds is null");
    }

    static ViewFreshness of(
        String view,
        Optional<Instant> watermark,
        Optional<Duration> freshness,
        Optional<Instant> newestServed,
        Instant now) {
      Optional<Duration> age = watermark.map(w -> Duration.between(w, now));
      boolean violated = FeatureView.isStale(freshness, watermark, now);
      return new ViewFreshness(
          view,
          watermark,
          age.map(FreshnessMonitor::seconds),
          freshness.map(Durations::format),
          freshness.map(Duration::getSeconds),
          violated,
          newestServed,
          newestServed.map(s -> (micros(now) - micros(s)) / 1e6));
    }
  }

  static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }
}
