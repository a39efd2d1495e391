/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
    Duration elapsed) {
  public ViewSummary {
    requireNonNull(view, "view is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    requireNonNull(elapsed, "elapsed is null");
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
    return map;
  }
}
