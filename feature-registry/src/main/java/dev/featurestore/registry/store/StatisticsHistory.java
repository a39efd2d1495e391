/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import dev.featurestore.registry.quality.StatisticsRun;
import java.util.List;
import java.util.Optional;

/**
 * The statistics history of a registry: per feature view, every {@link StatisticsRun} appended by
 * {@code materialize} and {@code stats}, kept as one JSON document each ({@link
 * StatisticsDocuments}). A run, once appended, is complete and never changes; a crash while
 * appending leaves either the whole run or nothing.
 *
 * <p>Runs are ordered by {@link StatisticsRun#computedAt()}, ties broken by run id ({@link
 * StatisticsDocuments#ORDER}), in every backend.
 */
public interface StatisticsHistory {
  /**
   * Appends a run to its view's history.
   *
   * @throws dev.featurestore.registry.FeatureStoreException CONFLICT when the view already has a
   *     run with this id; UNAVAILABLE when the store cannot be written
   */
  void append(StatisticsRun run);

  /**
   * Returns a view's runs, oldest first; empty when it has none.
   *
   * @throws dev.featurestore.registry.FeatureStoreException INTERNAL_ERROR naming the stored run
   *     (file or row) when one is unreadable
   */
  List<StatisticsRun> runs(String view);

  /** Returns a view's newest run; empty when it has none. */
  default Optional<StatisticsRun> latest(String view) {
    List<StatisticsRun> runs = runs(view);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
  }

  /**
   * Returns a view's newest run of an origin ({@link StatisticsRun#MATERIALIZE}: its window is the
   * default window of {@code featurestore stats}); empty when it has none.
   */
  default Optional<StatisticsRun> latest(String view, String origin) {
    List<StatisticsRun> runs = runs(view);
    for (int i = runs.size() - 1; i >= 0; i--) {
      if (runs.get(i).origin().equals(origin)) {
        return Optional.of(runs.get(i));
      }
    }
    return Optional.empty();
  }

  /** Returns the names of the views with at least one run, sorted (for {@code registry copy}). */
  List<String> views();
}
