/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.quality.StatisticsRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the report shows of one feature view.
 *
 * @param view the view's definition in the reported registry version
 * @param watermark its materialization watermark; empty before the first materialization
 * @param runs its statistics history, oldest first
 */
public record ViewReport(FeatureView view, Optional<Instant> watermark, List<StatisticsRun> runs) {
  public ViewReport {
    requireNonNull(view, "view is null");
    requireNonNull(watermark, "watermark is null");
    runs = List.copyOf(requireNonNull(runs, "runs is null"));
  }

  /** The newest statistics run; empty when the view has none yet. */
  public Optional<StatisticsRun> latest() {
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
  }

  Freshness freshness(Instant now) {
    return new Freshness(watermark, view.freshness(), now);
  }
}
