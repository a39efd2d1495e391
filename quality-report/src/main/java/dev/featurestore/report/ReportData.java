/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.store.RegistryVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one report shows.
 *
 * @param version the registry version whose views are reported
 * @param registryLocation where the registry lives (no password)
 * @param generatedAt when the report was made: freshness ages are measured to it
 * @param views one entry per feature view, in definition order
 * @param drift the results of {@code drift --json}, when given
 * @param verify the results of {@code verify --json}, when given
 */
public record ReportData(
    RegistryVersion version,
    String registryLocation,
    Instant generatedAt,
    List<ViewReport> views,
    Optional<DriftResults> drift,
    Optional<VerifyResults> verify) {
  public ReportData {
    requireNonNull(version, "version is null");
    requireNonNull(registryLocation, "registryLocation is null");
    requireNonNull(generatedAt, "generatedAt is null");
    views = List.copyOf(requireNonNull(views, "views is null"));
    requireNonNull(drift, "drift is null");
    requireNonNull(verify, "verify is null");
  }

  /** The views whose watermark is older than their {@code freshness}, in report order. */
  public List<String> staleViews() {
    return views.stream()
        .filter(v -> v.freshness(generatedAt).stale())
        .map(v -> v.view().name())
        .toList();
  }

  /** The number of failed checks in the views' latest statistics runs. */
  public long failedChecks() {
    return views.stream().flatMap(v -> v.latest().stream()).mapToLong(r -> r.checksFailed()).sum();
  }
}
