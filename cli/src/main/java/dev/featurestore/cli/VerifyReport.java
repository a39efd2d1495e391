/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code featurestore verify} found (its {@code --json} form, written by {@code QualityJson}:
 * snake_case names, instants as ISO-8601 strings).
 *
 * @param lookupTime the instant the online values were looked up at and the offline values computed
 *     as of
 * @param sample the most entities sampled per view ({@code --sample})
 * @param seed the sampling seed ({@code --seed})
 * @param consistent no view has a mismatch, an online-only or an offline-only entity
 * @param views one result per verified view
 */
public record VerifyReport(
    Instant lookupTime, int sample, long seed, boolean consistent, List<View> views) {
  public VerifyReport {
    views = List.copyOf(views);
  }

  /**
   * One view. Every sampled entity is counted once: compared (both sides have a value, then counted
   * per feature), {@code onlineOnly}, {@code offlineOnly}, {@code newerOffline} or {@code absent}.
   *
   * @param view the view name
   * @param entities the entities sampled
   * @param onlineOnly served online, but the offline sources have no value as of the lookup time
   * @param offlineOnly the offline sources have a value, but none is served online
   * @param newerOffline the offline value's event timestamp is after the view's watermark (or, for
   *     a view never materialized incrementally, after the online value's): written to the source
   *     after the last materialization, so not a mismatch
   * @param absent neither side has a value (e.g. expired on both sides by the view's TTL)
   * @param watermark the view's watermark, when it has one
   * @param features per feature, over the compared entities
   */
  public record View(
      String view,
      int entities,
      int onlineOnly,
      int offlineOnly,
      int newerOffline,
      int absent,
      Optional<Instant> watermark,
      List<Feature> features) {
    public View {
      features = List.copyOf(features);
    }

    /** Returns whether this view has no mismatch, online-only or offline-only entity. */
    public boolean consistent() {
      return onlineOnly == 0
          && offlineOnly == 0
          && features.stream().allMatch(f -> f.mismatches() == 0);
    }

    /** Returns the entities compared value by value. */
    public int compared() {
      return entities - onlineOnly - offlineOnly - newerOffline - absent;
    }
  }

  /**
   * One feature of a view.
   *
   * @param examples up to {@value Verifier#EXAMPLES} mismatches
   */
  public record Feature(String feature, long matches, long mismatches, List<Example> examples) {
    public Feature {
      examples = List.copyOf(examples);
    }
  }

  /**
   * One mismatch: the entity's join key values, both values (as JSON shows them: timestamps as
   * ISO-8601, bytes as base64) and both event timestamps.
   */
  public record Example(
      Map<String, Object> entity,
      Object online,
      Object offline,
      Instant onlineTimestamp,
      Instant offlineTimestamp) {}
}
