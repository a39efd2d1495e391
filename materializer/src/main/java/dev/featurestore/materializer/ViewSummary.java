/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.Checks;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.quality.ViewStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What materializing one view did.
 *
 * @param view the feature view
 * @param start the window start (inclusive); empty: from the earliest data
 * @param end the window end (inclusive)
 * @param rowsRead source rows in the window (null-key rows included)
 * @param keysWritten keys whose value landed in Redis
 * @param keysNotNewer keys not written because Redis already held a value at least as new
 * @param nullKeyRows rows skipped because a join key was null
 * @param expiredSkipped latest values not written because they were already past their removal time
 * @param elapsed how long the view took
 * @param statistics the statistics of the rows written (or held back): one row per entity key, as
 *     the latest-per-key reduction chose them; empty when statistics were turned off
 * @param checks the results of the view's checks on those statistics; empty without checks
 * @param heldBack true when a check failed and the view wrote nothing (its watermark did not move)
 */
public record ViewSummary(
    String view,
    Optional<Instant> start,
    Instant end,
    long rowsRead,
    long keysWritten,
    long keysNotNewer,
    long nullKeyRows,
    long expiredSkipped,
    Duration elapsed,
    Optional<ViewStatistics> statistics,
    List<CheckResult> checks,
    boolean heldBack) {
  public ViewSummary {
    requireNonNull(view, "view is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    requireNonNull(elapsed, "elapsed is null");
    requireNonNull(statistics, "statistics is null");
    checks = List.copyOf(requireNonNull(checks, "checks is null"));
  }

  /** A summary without statistics or checks. */
  public ViewSummary(
      String view,
      Optional<Instant> start,
      Instant end,
      long rowsRead,
      long keysWritten,
      long keysNotNewer,
      long nullKeyRows,
      long expiredSkipped,
      Duration elapsed) {
    this(
        view,
        start,
        end,
        rowsRead,
        keysWritten,
        keysNotNewer,
        nullKeyRows,
        expiredSkipped,
        elapsed,
        Optional.empty(),
        List.of(),
        false);
  }

  /** The checks that failed. */
  public List<CheckResult> failedChecks() {
    return Checks.failed(checks);
  }

  /**
   * One line on the checks: {@code checks: 7 passed}, {@code checks: 1 of 7 failed: conv_rate: 7.3%
   * nulls, max_null_fraction 5%; nothing written}, or {@code checks: none}.
   */
  public String checkLine() {
    if (checks.isEmpty()) {
      return "checks: none";
    }
    List<CheckResult> failed = failedChecks();
    if (failed.isEmpty()) {
      return "checks: " + checks.size() + " passed";
    }
    return "checks: "
        + failed.size()
        + " of "
        + checks.size()
        + " failed: "
        + failed.stream().map(CheckResult::message).collect(Collectors.joining("; "))
        + (heldBack ? "; nothing written" : "; written anyway (--allow-failed-checks)");
  }

  /** Keys written per second. */
  public double keysPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : keysWritten / seconds;
  }

  /** The summary as a JSON-ready map (snake_case keys, ISO-8601 instants). */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("view", view);
    map.put("start", start.map(Instant::toString).orElse(null));
    map.put("end", end.toString());
    map.put("rows_read", rowsRead);
    map.put("keys_written", keysWritten);
    map.put("keys_skipped_not_newer", keysNotNewer);
    map.put("null_key_rows_skipped", nullKeyRows);
    map.put("expired_rows_skipped", expiredSkipped);
    map.put("seconds", elapsed.toMillis() / 1000.0);
    map.put("keys_per_second", Math.round(keysPerSecond()));
    map.put("held_back", heldBack);
    map.put("checks", QualityJson.mapper().valueToTree(checks));
    map.put("statistics", statistics.map(v -> QualityJson.mapper().valueToTree(v)).orElse(null));
    return map;
  }
}
