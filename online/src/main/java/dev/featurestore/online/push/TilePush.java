/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.online.snapshot.ViewReader;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.onlinestore.writer.TilePushWriter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The push of rows to an aggregated view (docs/aggregations.md, "Push"): the rows' events are
 * grouped into tiles per entity and interval, as a materialization groups source rows, and each
 * tile is merged into the stored one ({@link Tile#merge}) with a compare-and-set per entity hash
 * ({@link TilePushWriter}). A merged tile keeps the stored tile's {@code through}, a new one has
 * the oldest possible, so a materialization of its range through any time replaces it with the tile
 * of the offline rows: events pushed with {@code "to": "online_and_offline"} are in both, events
 * pushed online only are then gone from the window, as a materialization overwrites online-only
 * pushes of plain views.
 */
final class TilePush {
  /** Compare-and-set attempts per entity before the push fails (other writers of its tiles). */
  static final int MAX_ATTEMPTS = 32;

  /** The through time of a tile made by a push alone: any materialization replaces it. */
  static final long PUSHED_ONLY = Long.MIN_VALUE;

  private final ViewReader reader;
  private final TileLayout layout;
  private final long trimBelowTile;
  private final List<TilePushWriter.Entity> entities = new ArrayList<>();
  private long rowsExpired;

  private TilePush(ViewReader reader, long trimBelowTile) {
    this.reader = reader;
    this.layout = reader.tiles().orElseThrow();
    this.trimBelowTile = trimBelowTile;
  }

  /**
   * Groups a push's rows into tiles per entity; rows older than the view keeps (the longest window
   * + H before now) are left out and counted as expired.
   */
  static TilePush prepare(
      ViewReader reader, ParquetSource source, PushFrame frame, long nowMicros) {
    TileLayout layout = reader.tiles().orElseThrow();
    TilePush push = new TilePush(reader, layout.trimBelowTile(nowMicros));
    List<Object> events = frame.column(source.timestampField()).orElseThrow();
    List<Object> created = source.createdTimestampField().flatMap(frame::column).orElse(null);
    List<List<Object>> keyColumns = new ArrayList<>();
    for (JoinKey key : reader.joinKeys()) {
      keyColumns.add(frame.column(key.name()).orElseThrow());
    }
    List<List<Object>> valueColumns = new ArrayList<>();
    for (String column : layout.columns()) {
      valueColumns.add(frame.column(column).orElseThrow());
    }
    Map<ByteBuffer, SortedMap<Long, Tile>> byEntity = new LinkedHashMap<>();
    for (int row = 0; row < frame.rows(); row++) {
      long event = Windows.micros((Instant) events.get(row));
      long tile = Windows.tileOf(event, layout.intervalMicros());
      if (tile < push.trimBelowTile) {
        push.rowsExpired++;
        continue;
      }
      List<Object> keyValues = new ArrayList<>(keyColumns.size());
      for (List<Object> column : keyColumns) {
        keyValues.add(column.get(row));
      }
      Object[] values = new Object[valueColumns.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = tileValue(layout.columnTypes().get(i), valueColumns.get(i).get(row));
      }
      Object createdAt = created == null ? null : created.get(row);
      byEntity
          .computeIfAbsent(ByteBuffer.wrap(reader.key(keyValues)), k -> new TreeMap<>())
          .computeIfAbsent(tile, t -> new Tile(layout))
          .add(
              event,
              createdAt == null ? Tile.NO_CREATED : Windows.micros((Instant) createdAt),
              values);
    }
    byEntity.forEach((key, tiles) -> push.entities.add(push.entity(key.array(), tiles)));
    return push;
  }

  /** Merges the tiles into Redis; blocks until every entity's tiles are written. */
  TilePushWriter.Result write(RedisConnections.Shared redis) throws InterruptedException {
    return new TilePushWriter(
            redis, trimBelowTile, layout.intervalMicros(), layout.lifetimeMicros(), MAX_ATTEMPTS)
        .write(entities);
  }

  /** The view's name. */
  String viewName() {
    return reader.view().name();
  }

  /** Rows left out: older than the view keeps tiles for. */
  long rowsExpired() {
    return rowsExpired;
  }

  private TilePushWriter.Entity entity(byte[] key, SortedMap<Long, Tile> tiles) {
    byte[][] fields = new byte[tiles.size()][];
    Tile[] pushed = new Tile[tiles.size()];
    int i = 0;
    for (Map.Entry<Long, Tile> tile : tiles.entrySet()) {
      fields[i] = TileCodec.field(tile.getKey());
      pushed[i++] = tile.getValue();
    }
    return new TilePushWriter.Entity(key, fields, (index, stored) -> merge(pushed[index], stored));
  }

  private byte[] merge(Tile pushed, byte[] stored) {
    if (stored == null) {
      return TileCodec.encode(pushed, PUSHED_ONLY);
    }
    Tile current;
    try {
      current = TileCodec.decode(layout, stored);
    } catch (RuntimeException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot merge pushed rows into a stored tile of feature view '%s': %s",
          reader.view().name(),
          e.getMessage());
    }
    return TileCodec.encode(Tile.merge(current, pushed), TileCodec.through(stored));
  }

  /** A pushed value as a tile takes it ({@link Tile}: the Java type of each column type). */
  private static Object tileValue(ValueType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case INT32 -> ((Number) value).intValue();
      case INT64 -> ((Number) value).longValue();
      case FLOAT32 -> ((Number) value).floatValue();
      case FLOAT64 -> ((Number) value).doubleValue();
      case TIMESTAMP -> Windows.micros((Instant) value);
      default -> value;
    };
  }
}
