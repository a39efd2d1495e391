/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import dev.featurestore.onlinestore.writer.ViewWriter;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * The one rule that picks the row written per entity key, shared by {@link PartitionWriter} and the
 * statistics of what it writes ({@link LatestRows}): over one partition of rows sorted by key and
 * then newest first (event, then created timestamp), the first row of each key wins; rows of a key
 * with equal (event, created) timestamps are a tie, and the one whose encoded value is the greatest
 * (unsigned bytes) wins, so every run and every partitioning picks the same row.
 *
 * <p>Rows are laid out as {@code ViewRows} projects them: the join keys (int64, string or binary),
 * the event and created timestamps as epoch microseconds (created may be null), then the features.
 */
final class LatestPerKey implements Iterator<LatestPerKey.Latest> {
  /** The winning row of one key. */
  static final class Latest {
    byte[] key;
    byte[] value;
    long event;

    /** A copy of the winning row; null unless rows are kept (then {@code value} may be null). */
    InternalRow row;
  }

  private final Iterator<InternalRow> rows;
  private final ViewWriter viewWriter;
  private final List<JoinKey> joinKeys;
  private final boolean keepRows;
  private final int eventIndex;
  private final int createdIndex;
  private final Object[] keyValues;
  private final RowValues values;
  private long read;

  private InternalRow pending;
  private byte[] pendingKey;

  LatestPerKey(
      Iterator<InternalRow> rows,
      ViewWriter viewWriter,
      FeatureView view,
      List<JoinKey> joinKeys,
      boolean keepRows) {
    this.rows = rows;
    this.viewWriter = viewWriter;
    this.joinKeys = joinKeys;
    this.keepRows = keepRows;
    this.eventIndex = joinKeys.size();
    this.createdIndex = joinKeys.size() + 1;
    this.keyValues = new Object[joinKeys.size()];
    this.values =
        new RowValues(view.features().stream().map(Feature::type).toList(), joinKeys.size() + 2);
  }

  /** Rows read so far. */
  long read() {
    return read;
  }

  @Override
  public boolean hasNext() {
    return pending != null || rows.hasNext();
  }

  @Override
  public Latest next() {
    if (pending == null) {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      pending = rows.next();
      read++;
      pendingKey = key(pending);
    }
    Latest best = new Latest();
    best.key = pendingKey;
    best.event = pending.getLong(eventIndex);
    long bestCreated = created(pending);
    // Kept rows (the statistics pass) need the value only to break a tie: encode it then.
    best.row = keepRows ? pending.copy() : null;
    best.value = keepRows ? null : encode(pending, best.event, bestCreated);
    pending = null;
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      read++;
      byte[] key = key(row);
      if (!Arrays.equals(key, best.key)) {
        pending = row;
        pendingKey = key;
        break;
      }
      // Sorted newest first: a later row of the key only matters when it ties.
      long event = row.getLong(eventIndex);
      long created = created(row);
      if (event == best.event && created == bestCreated) {
        if (best.value == null) {
          best.value = encode(best.row, best.event, bestCreated);
        }
        byte[] value = encode(row, event, created);
        if (Arrays.compareUnsigned(value, best.value) > 0) {
          best.value = value;
          best.row = keepRows ? row.copy() : null;
        }
      }
    }
    return best;
  }

  private byte[] key(InternalRow row) {
    for (int i = 0; i < keyValues.length; i++) {
      keyValues[i] = keyValue(row, i, joinKeys.get(i).type());
    }
    return viewWriter.entityKey(Arrays.asList(keyValues));
  }

  private long created(InternalRow row) {
    return row.isNullAt(createdIndex) ? Long.MIN_VALUE : row.getLong(createdIndex);
  }

  private byte[] encode(InternalRow row, long event, long created) {
    values.row = row;
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
