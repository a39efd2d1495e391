/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.featurestore.online.freshness.FreshnessMonitor;
import dev.featurestore.online.freshness.FreshnessReport;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /freshness}: per served feature view its materialization watermark, the watermark's
 * age, its {@code freshness} expectation and whether it is violated, and the newest value served.
 * Like {@code /actuator/prometheus}, whose gauges carry the same facts, it needs no API key.
 */
@RestController
class FreshnessController {
  /** The endpoint's path. */
  static final String PATH = "/freshness";

  private final FreshnessMonitor monitor;

  FreshnessController(FreshnessMonitor monitor) {
    this.monitor = monitor;
  }

  @GetMapping(PATH)
  FreshnessJson freshness() {
    return FreshnessJson.of(monitor.report());
  }

  record FreshnessJson(
      @JsonProperty("checked_at") String checkedAt,
      @JsonProperty("registry_version") long registryVersion,
      @JsonProperty("watermarks_read_at") String watermarksReadAt,
      @JsonProperty("watermarks_error") String watermarksError,
      int violations,
      List<ViewJson> views) {
    static FreshnessJson of(FreshnessReport report) {
      return new FreshnessJson(
          report.checkedAt().toString(),
          report.registryVersion(),
          report.watermarksReadAt().map(Instant::toString).orElse(null),
          report.watermarksError().orElse(null),
          report.violations(),
          report.views().stream().map(ViewJson::of).toList());
    }
  }

  record ViewJson(
      String view,
      String watermark,
      @JsonProperty("watermark_age_seconds") Double watermarkAgeSeconds,
      String freshness,
      @JsonProperty("freshness_seconds") Long freshnessSeconds,
      boolean violated,
      @JsonProperty("newest_served") String newestServed,
      @JsonProperty("served_age_seconds") Double servedAgeSeconds) {
    static ViewJson of(FreshnessReport.ViewFreshness view) {
      return new ViewJson(
          view.view(),
          view.watermark().map(Instant::toString).orElse(null),
          view.watermarkAgeSeconds().orElse(null),
          view.freshness().orElse(null),
          view.freshnessSeconds().orElse(null),
          view.violated(),
          view.newestServed().map(Instant::toString).orElse(null),
          view.servedAgeSeconds().orElse(null));
    }
  }
}
