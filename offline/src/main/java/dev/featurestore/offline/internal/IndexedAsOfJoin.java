/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.xxhash64;

import dev.featurestore.offline.internal.AsOfJoin.PreparedView;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The as-of join for views whose source rows are small enough to broadcast, like Spark's broadcast
 * hash join: one job collects each view's rows into an {@link AsOfIndex} (the best row per key and
 * event timestamp, in time order per key), which is broadcast; then every entity row finds its
 * features where it is, by key hash and a binary search on time. The entity rows are neither
 * shuffled nor sorted and keep their order. Memory: the indexes, on the driver and once per
 * executor; a hot key costs nothing more.
 */
public final class IndexedAsOfJoin {
  private static final String HASH = "__fs_index_hash";
  private static final String MICROS = "__fs_index_micros";

  private IndexedAsOfJoin() {}

  /**
   * The estimated bytes of a view's index row: an {@link UnsafeRow} of the hash and the view's
   * columns (null bits, 8 bytes per field, variable-length values at Spark's default size), plus
   * the index's offset and time. For planning only.
   */
  public static long rowBytes(PreparedView view) {
    long bytes = 8 + 8L * (view.rows().schema().size() + 1) + 12;
    for (StructField field : view.rows().schema().fields()) {
      if (!UnsafeRow.isFixedLength(field.dataType())) {
        bytes += (field.dataType().defaultSize() + 7) / 8 * 8;
      }
    }
    return bytes;
  }

  /**
   * Returns the entity rows with the features of every view appended as columns {@code outputNames}
   * (in view order); the entity columns are kept as they are.
   *
   * @param entities the entity rows
   * @param keyColumns the entity columns holding the key, in the order the views' keys are prepared
   * @param timestampColumn the entity timestamp column (a Spark timestamp)
   * @param views the views sharing these keys
   * @param outputNames one column name per feature of every view, in order
   */
  public static Dataset<Row> join(
      Dataset<Row> entities,
      List<String> keyColumns,
      String timestampColumn,
      List<PreparedView> views,
      List<String> outputNames) {
    SparkSession spark = (SparkSession) entities.sparkSession();
    int keyCount = keyColumns.size();
    DataType[] keyTypes = new DataType[keyCount];
    List<JavaRDD<Tagged>> parts = new ArrayList<>();
    List<DataType[]> featureTypes = new ArrayList<>();
    long[] ttls = new long[views.size()];
    for (int v = 0; v < views.size(); v++) {
      PreparedView view = views.get(v);
      String[] names = view.rows().columns();
      List<Column> keys = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        keys.add(col(AsOfJoin.quote(names[i])));
        keyTypes[i] = view.rows().schema().apply(i).dataType();
      }
      List<Column> columns = new ArrayList<>();
      columns.add(xxhash64(keys.toArray(Column[]::new)).as(HASH));
      for (String name : names) {
        columns.add(col(AsOfJoin.quote(name)));
      }
      Dataset<Row> rows = view.rows().select(columns.toArray(Column[]::new));
      int tag = v;
      parts.add(
          rows.queryExecution()
              .toRdd()
              .toJavaRDD()
              .mapPartitions(AsOfIndex.collector(rows.schema(), keyCount + 1))
              .map(chunk -> new Tagged(tag, chunk)));
      featureTypes.add(view.featureTypes().toArray(DataType[]::new));
      ttls[v] = view.ttlMicros();
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // One job for the rows of every view of the group.
    JavaRDD<Tagged> all = parts.get(0);
    for (int v = 1; v < parts.size(); v++) {
      all = all.union(parts.get(v));
    }
    List<Tagged> collected = all.collect();
    List<AsOfIndex> indexes = new ArrayList<>();
    for (int v = 0; v < views.size(); v++) {
      List<AsOfIndex.Chunk> chunks = new ArrayList<>();
      for (Tagged tagged : collected) {
        if (tagged.view() == v) {
          chunks.add(tagged.chunk());
        }
      }
      indexes.add(AsOfIndex.build(chunks, keyTypes, featureTypes.get(v)));
    }
    collected = null; // the chunks are garbage once the indexes hold their rows
    Broadcast<List<AsOfIndex>> broadcast = context.broadcast(List.copyOf(indexes));

    StructType entitySchema = entities.schema();
    List<Column> probeColumns = new ArrayList<>();
    for (String name : entitySchema.fieldNames()) {
      probeColumns.add(col(AsOfJoin.quote(name)));
    }
    // The keys as the views hold them, so that both sides hash and compare the same values.
    Column[] probeKeys = new Column[keyCount];
    for (int i = 0; i < keyCount; i++) {
      probeKeys[i] = col(AsOfJoin.quote(keyColumns.get(i))).cast(keyTypes[i]);
    }
    probeColumns.add(xxhash64(probeKeys).as(HASH));
    probeColumns.add(unix_micros(col(AsOfJoin.quote(timestampColumn))).as(MICROS));
    int[] keyOrdinals = new int[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keyOrdinals[i] = probeColumns.size();
      probeColumns.add(probeKeys[i].as("__fs_index_k" + i));
    }
    Dataset<Row> probe = entities.select(probeColumns.toArray(Column[]::new));
    StructType outSchema = entitySchema;
    int f = 0;
    for (DataType[] types : featureTypes) {
      for (DataType type : types) {
        outSchema =
            outSchema.add(new StructField(outputNames.get(f++), type, true, Metadata.empty()));
      }
    }
    Lookup lookup =
        new Lookup(
            broadcast,
            Arrays.stream(entitySchema.fields())
                .map(StructField::dataType)
                .toArray(DataType[]::new),
            keyOrdinals,
            featureTypes.toArray(DataType[][]::new),
            ttls,
            keyCount);
    RDD<InternalRow> joined =
        probe.queryExecution().toRdd().toJavaRDD().mapPartitions(lookup).rdd();
    return spark.internalCreateDataFrame(joined, outSchema, false);
  }

  /** A chunk of one view's rows. */
  private record Tagged(int view, AsOfIndex.Chunk chunk) implements Serializable {}

  /** The task side: each entity row with its features from the indexes. */
  private static final class Lookup implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    @Serial private static final long serialVersionUID = 1L;

    private final Broadcast<List<AsOfIndex>> indexes;
    private final DataType[] entityTypes;
    private final int[] keyOrdinals;
    private final DataType[][] featureTypes;
    private final long[] ttls;
    private final int keyCount;

    Lookup(
        Broadcast<List<AsOfIndex>> indexes,
        DataType[] entityTypes,
        int[] keyOrdinals,
        DataType[][] featureTypes,
        long[] ttls,
        int keyCount) {
      this.indexes = indexes;
      this.entityTypes = entityTypes;
      this.keyOrdinals = keyOrdinals;
      this.featureTypes = featureTypes;
      this.ttls = ttls;
      this.keyCount = keyCount;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> input) {
      List<AsOfIndex> views = indexes.value();
      UnsafeRow[] cursors = new UnsafeRow[views.size()];
      int features = 0;
      for (int v = 0; v < cursors.length; v++) {
        cursors[v] = new UnsafeRow(views.get(v).fields());
        features += featureTypes[v].length;
      }
      int width = entityTypes.length;
      int hashOrdinal = width;
      int microsOrdinal = width + 1;
      int featureCount = features;
      int firstFeature = keyCount + 3;
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return input.hasNext();
        }

        @Override
        public InternalRow next() {
          if (!input.hasNext()) {
            throw new NoSuchElementException();
          }
          InternalRow row = input.next();
          Object[] out = new Object[width + featureCount];
          for (int i = 0; i < width; i++) {
            out[i] = row.isNullAt(i) ? null : row.get(i, entityTypes[i]);
          }
          boolean keyed = !row.isNullAt(microsOrdinal);
          for (int ordinal : keyOrdinals) {
            keyed &= !row.isNullAt(ordinal);
          }
          if (keyed) {
            long hash = row.getLong(hashOrdinal);
            long ts = row.getLong(microsOrdinal);
            int at = width;
            for (int v = 0; v < cursors.length; v++) {
              AsOfIndex index = views.get(v);
              DataType[] types = featureTypes[v];
              int found = index.find(hash, row, keyOrdinals, ts, ttls[v], cursors[v]);
              if (found >= 0) {
                UnsafeRow best = cursors[v];
                for (int j = 0; j < types.length; j++) {
                  int ordinal = firstFeature + j;
                  out[at + j] = best.isNullAt(ordinal) ? null : best.get(ordinal, types[j]);
                }
              }
              at += types.length;
            }
          }
          return new GenericInternalRow(out);
        }
      };
    }
  }
}
