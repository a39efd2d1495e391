/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of tiles in the online store (docs/online-store-layout.md, "Tiles"). An aggregated
 * view's tiles of one entity are one Redis hash at the entity's usual key ({@code OnlineKeys}):
 * field {@link #field(long)} (the tile index in decimal ASCII) to value {@link #encode}: the tile's
 * {@code through} time (8 bytes big-endian, microseconds: the end of the run that computed it; a
 * tile is only replaced by one through the same or a later time) followed by its partial
 * aggregates, each column's tagged with the column's name so tiles stay readable when aggregations
 * are added (a column a tile lacks reads as no values).
 */
public final class TileCodec {
  private TileCodec() {}

  /** The hash field of a tile index: its decimal ASCII digits. */
  public static byte[] field(long tile) {
    return Long.toString(tile).getBytes(StandardCharsets.US_ASCII);
  }

  /** The tile index of a hash field. */
  public static long tile(byte[] field) {
    return Long.parseLong(new String(field, StandardCharsets.US_ASCII));
  }

  /** The value of a tile computed through {@code throughMicros}. */
  public static byte[] encode(Tile tile, long throughMicros) {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }

  /** The {@code through} time of an encoded tile (its first 8 bytes). */
  public static long through(byte[] value) {
    return ByteBuffer.wrap(value, 0, Long.BYTES).getLong();
  }

  /** Decodes a tile for this layout. */
  public static Tile decode(TileLayout layout, byte[] value) {
    throw new UnsupportedOperationException("TODO(aggregation core)");
  }
}
