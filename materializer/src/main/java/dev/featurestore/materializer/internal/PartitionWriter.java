/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import dev.featurestore.onlinestore.writer.NewerWinsWriter;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.onlinestore.writer.ViewWriter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import io.lettuce.core.RedisException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs on the executors: takes one partition of a view's rows, sorted by entity key and then newest
 * first, keeps the latest row per key, and writes it with the shared online-store writer ({@link
 * ViewWriter}: the registry's codec and expiry, the newer-wins script) over the JVM's shared
 * connection.
 *
 * <p>Rows are Spark's internal rows (no conversion to {@code Row}, no boxing of feature values),
 * laid out as {@code ViewRows} projects them: the join keys (int64, string or binary), the event
 * timestamp and the created timestamp as epoch microseconds (the created one may be null), then the
 * features in view order, each cast to the Spark type of its value type.
 *
 * <p>Rows of one key with equal (event, created) timestamps are a tie; the one whose encoded value
 * is the greatest (unsigned bytes) wins, so every run and every partitioning picks the same row.
 */
public final class PartitionWriter implements VoidFunction<Iterator<InternalRow>> {
  private static final long serialVersionUID = 1L;

  /** Counters of one view's run, read by the driver. */
  public record Counters(
      LongAccumulator rowsRead,
      LongAccumulator keysWritten,
      LongAccumulator keysNotNewer,
      LongAccumulator expiredSkipped)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Write tuning (see {@code MaterializerOptions}). */
  public record Tuning(int scriptBatchSize, int flushEvery, int maxInFlight)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final String project;
  private final FeatureView view;
  private final List<JoinKey> joinKeys;
  private final RedisConfig target;
  private final Tuning tuning;
  private final long graceMillis;
  private final long nowMillis;
  private final Counters counters;

  /**
   * @param project the project, for the key and value codec
   * @param view the view (a serializable definition record, shipped to the executors as it is)
   * @param joinKeys the view's join keys, in key order
   * @param target the online store
   */
  public PartitionWriter(
      String project,
      FeatureView view,
      List<JoinKey> joinKeys,
      RedisConfig target,
      Tuning tuning,
      Duration grace,
      long nowMillis,
      Counters counters) {
    this.project = project;
    this.view = view;
    this.joinKeys = List.copyOf(joinKeys);
    this.target = target;
    this.tuning = tuning;
    this.graceMillis = grace.toMillis();
    this.nowMillis = nowMillis;
    this.counters = counters;
  }

  @Override
  public void call(Iterator<InternalRow> rows) throws Exception {
    if (!rows.hasNext()) {
      return;
    }
    ViewWriter viewWriter =
        new ViewWriter(project, view, joinKeys, Duration.ofMillis(graceMillis), nowMillis);
    int keyCount = joinKeys.size();
    int eventIndex = keyCount;
    int createdIndex = keyCount + 1;
    int firstFeature = keyCount + 2;
    List<ValueType> types = view.features().stream().map(Feature::type).toList();

    RedisConnections.Shared redis = RedisConnections.get(target);
    long read = 0;
    long expired = 0;
    NewerWinsWriter writer =
        new NewerWinsWriter(
            redis, tuning.scriptBatchSize(), tuning.flushEvery(), tuning.maxInFlight());
    try {
      byte[] bestKey = null;
      byte[] bestValue = null;
      long bestEvent = 0;
      long bestCreated = 0;
      Object[] keyValues = new Object[keyCount];
      RowValues values = new RowValues(types, firstFeature);
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        values.row = row;
        read++;
        for (int i = 0; i < keyCount; i++) {
          keyValues[i] = keyValue(row, i, joinKeys.get(i).type());
        }
        byte[] entityKey = viewWriter.entityKey(Arrays.asList(keyValues));
        long event = row.getLong(eventIndex);
        long created = row.isNullAt(createdIndex) ? Long.MIN_VALUE : row.getLong(createdIndex);
        if (bestKey != null && Arrays.equals(entityKey, bestKey)) {
          // Sorted newest first: a later row of the key only matters when it ties.
          if (event == bestEvent && created == bestCreated) {
            byte[] value = encode(viewWriter, values, event, created);
            if (Arrays.compareUnsigned(value, bestValue) > 0) {
              bestValue = value;
            }
          }
          continue;
        }
        if (bestKey != null) {
          expired += viewWriter.write(writer, bestKey, bestValue, bestEvent) ? 0 : 1;
        }
        bestKey = entityKey;
        bestEvent = event;
        bestCreated = created;
        bestValue = encode(viewWriter, values, event, created);
        if ((read & 0x3FFF) == 0) {
          counters.rowsRead().add(read);
          read = 0;
        }
      }
      if (bestKey != null) {
        expired += viewWriter.write(writer, bestKey, bestValue, bestEvent) ? 0 : 1;
      }
      writer.finish();
    } catch (FeatureStoreException e) {
      if (e.errorCode() == ErrorCode.UNAVAILABLE) {
        RedisConnections.evict(target);
      }
      throw e;
    } catch (RedisException e) {
      RedisConnections.evict(target);
      throw RedisConnections.writeFailure(target, e);
    } catch (IllegalStateException e) {
      if (redis.connection().isOpen()) {
        throw e;
      }
      // Another task of this JVM lost Redis and closed the shared connection and its client while
      // this one was still writing (Lettuce then fails with "cannot be started once stopped").
      RedisException lost =
          new RedisException("the connection was closed after another task lost Redis");
      lost.addSuppressed(e);
      throw RedisConnections.writeFailure(target, lost);
    } finally {
      counters.rowsRead().add(read);
      counters.expiredSkipped().add(expired);
      counters.keysWritten().add(writer.written());
      counters.keysNotNewer().add(writer.notNewer());
      writer.close();
    }
  }

  private static byte[] encode(ViewWriter viewWriter, RowValues values, long event, long created) {
    return viewWriter.encode(
        values, event, created == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(created));
  }

  private static Object keyValue(InternalRow row, int index, ValueType type) {
    return switch (type) {
      case STRING -> row.getUTF8String(index).toString();
      case BYTES -> row.getBinary(index);
      default -> row.getLong(index);
    };
  }

  /** A row's features, read with Spark's typed getters (the projection cast them exactly). */
  private static final class RowValues implements OnlineValueCodec.FeatureValues {
    private final ValueType[] types;
    private final int offset;
    private InternalRow row;

    RowValues(List<ValueType> types, int offset) {
      this.types = types.toArray(ValueType[]::new);
      this.offset = offset;
    }

    @Override
    public boolean isNull(int feature) {
      return row.isNullAt(offset + feature);
    }

    @Override
    public int getInt(int feature) {
      return row.getInt(offset + feature);
    }

    @Override
    public long getLong(int feature) {
      return row.getLong(offset + feature);
    }

    @Override
    public float getFloat(int feature) {
      return row.getFloat(offset + feature);
    }

    @Override
    public double getDouble(int feature) {
      return row.getDouble(offset + feature);
    }

    @Override
    public byte[] getUtf8(int feature) {
      return row.getUTF8String(offset + feature).getBytes();
    }

    @Override
    public boolean getBoolean(int feature) {
      return row.getBoolean(offset + feature);
    }

    @Override
    public byte[] getBytes(int feature) {
      return row.getBinary(offset + feature);
    }

    @Override
    public long getTimestampMicros(int feature) {
      return row.getLong(offset + feature);
    }

    @Override
    public List<?> getList(int feature) {
      ArrayData array = row.getArray(offset + feature);
      ValueType element = types[feature].elementType().orElseThrow();
      Object[] items = new Object[array.numElements()];
      for (int i = 0; i < items.length; i++) {
        if (array.isNullAt(i)) {
          continue;
        }
        items[i] =
            switch (element) {
              case INT32 -> array.getInt(i);
              case INT64 -> array.getLong(i);
              case FLOAT32 -> array.getFloat(i);
              case FLOAT64 -> array.getDouble(i);
              default -> array.getUTF8String(i).toString();
            };
      }
      return Arrays.asList(items);
    }
  }
}
