/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

/**
 * The partial aggregates of one entity's events in one interval (a tile), or of the part of an
 * interval seen so far (the offline head). Mutable; not thread-safe.
 *
 * <p>A tile is a function of the multiset of its events only: adding the same events in any order
 * gives equal tiles and equal bytes ({@link TileCodec}), so the materializer, the offline join and
 * a push build identical tiles from the same events. Values are the canonical Java types of the
 * column types: INT32 {@link Integer}, INT64 {@link Long}, FLOAT32 {@link Float}, FLOAT64 {@link
 * Double}, STRING {@link String}, BOOL {@link Boolean}, TIMESTAMP {@link Long} microseconds since
 * the epoch; null for a null value.
 */
public final class Tile {
  /** The created timestamp of an event whose source has none. */
  public static final long NO_CREATED = Long.MIN_VALUE;

  /** An empty tile of this layout. */
  public Tile(TileLayout layout) {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /**
   * Adds one event.
   *
   * @param eventMicros its event timestamp
   * @param createdMicros its created timestamp, {@link #NO_CREATED} when the source has none
   * @param values its values of {@link TileLayout#columns()}, in that order (nulls allowed)
   */
  public void add(long eventMicros, long createdMicros, Object[] values) {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /** Whether the tile holds no event. */
  public boolean isEmpty() {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /** The number of events (rows) in the tile. */
  public long rows() {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }
}
