/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import java.time.Duration;
import java.time.Instant;

/**
 * The one window rule of windowed aggregations (docs/aggregations.md). As of time {@code t}, an
 * aggregation with window {@code W} on interval {@code H} covers the events with
 *
 * <pre>
 *   floor_H(t) - W  &lt;=  event_timestamp  &lt;=  t
 * </pre>
 *
 * where {@code floor_H(t)} is {@code t} rounded down to a multiple of {@code H} since the epoch
 * (UTC). Tile {@code i} holds the events of {@code [i * H, (i + 1) * H)}, so the window is exactly
 * tiles {@code tileOf(t) - W / H} through {@code tileOf(t)}, the last one cut at {@code t}. All
 * times are microseconds since the epoch.
 */
public final class Windows {
  private Windows() {}

  /** A duration in microseconds (definitions are validated, so it fits). */
  public static long micros(Duration duration) {
    return Math.addExact(
        Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1_000L);
  }

  /** An instant in microseconds since the epoch (sub-microsecond digits dropped). */
  public static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  /** The tile holding an event at this time: {@code floor(eventMicros / intervalMicros)}. */
  public static long tileOf(long eventMicros, long intervalMicros) {
    return Math.floorDiv(eventMicros, intervalMicros);
  }

  /** The first microsecond of a tile. */
  public static long tileStart(long tile, long intervalMicros) {
    return tile * intervalMicros;
  }

  /** The first tile a window covers as of {@code asOfMicros}. */
  public static long firstTile(long asOfMicros, long windowMicros, long intervalMicros) {
    return tileOf(asOfMicros, intervalMicros) - windowMicros / intervalMicros;
  }

  /** The earliest event time a window covers as of {@code asOfMicros}: {@code floor_H(t) - W}. */
  public static long windowStart(long asOfMicros, long windowMicros, long intervalMicros) {
    return tileStart(tileOf(asOfMicros, intervalMicros), intervalMicros) - windowMicros;
  }

  /** Whether a window as of {@code asOfMicros} covers an event at {@code eventMicros}. */
  public static boolean covers(
      long eventMicros, long asOfMicros, long windowMicros, long intervalMicros) {
    return eventMicros <= asOfMicros
        && eventMicros >= windowStart(asOfMicros, windowMicros, intervalMicros);
  }
}
