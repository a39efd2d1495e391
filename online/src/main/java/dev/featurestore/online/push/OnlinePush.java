/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.online.snapshot.ViewReader;
import dev.featurestore.onlinestore.writer.NewerWinsWriter;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.onlinestore.writer.TilePushWriter;
import dev.featurestore.onlinestore.writer.ViewWriter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.onlinestore.OnlineExpiry;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The online half of a push: every row of every view is encoded first (a value the codec refuses
 * writes nothing), then written through the shared online-store writer over the JVM's one writer
 * connection to the service's Redis ({@link RedisConnections}; a lost connection is dropped and the
 * next push opens a new one). Blocks until Redis has answered every script call.
 */
final class OnlinePush {
  private static final int SCRIPT_BATCH = 256;
  private static final int FLUSH_EVERY = 16;
  private static final int MAX_IN_FLIGHT = 64;

  private final RedisConfig redis;
  private final Duration timeout;
  private final Clock clock;

  OnlinePush(RedisConfig redis, Duration timeout, Clock clock) {
    this.redis = redis;
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * Writes a push's rows to views online.
   *
   * @param offlineToo whether the push also goes offline (after this), for the failure message
   * @return the answer's {@code online} part
   * @throws FeatureStoreException INVALID_ARGUMENT when the codec refuses a value (nothing sent),
   *     UNAVAILABLE when Redis fails
   */
  Map<String, Object> write(
      String action,
      ServingSnapshot snapshot,
      ParquetSource source,
      List<FeatureView> views,
      PushFrame frame,
      boolean offlineToo) {
    long nowMillis = clock.millis();
    List<Object> events = frame.column(source.timestampField()).orElseThrow();
    List<Object> created = source.createdTimestampField().flatMap(frame::column).orElse(null);
    // Encode everything before sending anything: a value the codec refuses writes nothing.
    List<ViewWriter> writers = new ArrayList<>();
    List<List<Encoded>> encoded = new ArrayList<>();
    List<TilePush> tilePushes = new ArrayList<>();
    for (FeatureView view : views) {
      // The snapshot's reader has the view's join keys and codec, made once per registry version.
      ViewReader reader = snapshot.reader(view.name());
      if (reader.isAggregated()) {
        tilePushes.add(TilePush.prepare(reader, source, frame, nowMillis * 1000));
        continue;
      }
      List<JoinKey> keys = reader.joinKeys();
      ViewWriter writer =
          new ViewWriter(
              snapshot.project(),
              view,
              keys,
              reader.codec(),
              OnlineExpiry.defaultGrace(view),
              nowMillis);
      List<Encoded> rows = new ArrayList<>(frame.rows());
      for (int row = 0; row < frame.rows(); row++) {
        List<Object> keyValues = new ArrayList<>(keys.size());
        for (JoinKey key : keys) {
          keyValues.add(frame.column(key.name()).orElseThrow().get(row));
        }
        List<Object> features = new ArrayList<>(view.features().size());
        for (Feature feature : view.features()) {
          features.add(frame.column(feature.sourceColumn()).orElseThrow().get(row));
        }
        long event = micros((Instant) events.get(row));
        Object createdAt = created == null ? null : created.get(row);
        OptionalLong createdMicros =
            createdAt == null ? OptionalLong.empty() : OptionalLong.of(micros((Instant) createdAt));
        byte[] value;
        try {
          value = writer.encode(features, event, createdMicros);
        } catch (FeatureStoreException e) {
          throw PushFrame.invalid(action, "row %d: %s", row, e.getMessage());
        }
        rows.add(new Encoded(writer.entityKey(keyValues), value, event));
      }
      writers.add(writer);
      encoded.add(rows);
    }
    long skipped = 0;
    RedisConnections.Shared shared;
    try {
      shared = RedisConnections.get(redis);
    } catch (FeatureStoreException e) {
      throw unavailable(action, e, offlineToo, List.of());
    }
    shared.connection().setTimeout(timeout);
    NewerWinsWriter writer = new NewerWinsWriter(shared, SCRIPT_BATCH, FLUSH_EVERY, MAX_IN_FLIGHT);
    long tilesWritten = 0;
    long tilesRetried = 0;
    // The aggregated views whose tiles a failure may have left with some of the rows.
    List<String> tilesTouched = new ArrayList<>();
    try {
      for (int v = 0; v < writers.size(); v++) {
        for (Encoded row : encoded.get(v)) {
          if (!writers.get(v).write(writer, row.entityKey(), row.value(), row.eventMicros())) {
            skipped++;
          }
        }
      }
      writer.finish();
      for (TilePush tiles : tilePushes) {
        tilesTouched.add(tiles.viewName());
        TilePushWriter.Result result = tiles.write(shared);
        tilesWritten += result.written();
        tilesRetried += result.retried();
        skipped += tiles.rowsExpired();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(action, RedisConnections.writeFailure(redis, e), offlineToo, tilesTouched);
    } catch (FeatureStoreException e) {
      RedisConnections.evict(redis);
      throw unavailable(action, e, offlineToo, tilesTouched);
    } catch (RedisException e) {
      RedisConnections.evict(redis);
      throw unavailable(action, RedisConnections.writeFailure(redis, e), offlineToo, tilesTouched);
    } finally {
      writer.close();
    }
    Map<String, Object> online = new LinkedHashMap<>();
    online.put("feature_views", views.stream().map(FeatureView::name).toList());
    online.put("keys_written", writer.written());
    online.put("keys_not_newer", writer.notNewer());
    online.put("rows_expired", skipped);
    if (!tilePushes.isEmpty()) {
      // Aggregated views: tiles merged (one per entity and interval the rows fall in), and
      // compare-and-set attempts repeated because another writer changed a tile in between.
      online.put("tiles_written", tilesWritten);
      online.put("tiles_retried", tilesRetried);
    }
    return online;
  }

  /**
   * A failed online write. A retry is safe for plain views (newer wins), not for the tiles of
   * aggregated views the write had begun to merge into: there every row is an event, and a retry
   * would count the rows already merged again.
   */
  private static FeatureStoreException unavailable(
      String action, FeatureStoreException e, boolean offlineToo, List<String> tilesTouched) {
    String retry =
        tilesTouched.isEmpty()
            ? "; a retry is safe"
            : "; the tiles of aggregated feature views "
                + tilesTouched
                + " may hold some of the rows already, which a retry would count again";
    return new FeatureStoreException(
        e.errorCode() == ErrorCode.INVALID_ARGUMENT ? ErrorCode.UNAVAILABLE : e.errorCode(),
        action
            + ": "
            + e.getMessage()
            + (offlineToo
                ? "; nothing was written offline and the online write may be partial"
                : "; the online write may be partial")
            + retry,
        e);
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  /** One row of one view, encoded. */
  private record Encoded(byte[] entityKey, byte[] value, long eventMicros) {}
}
