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
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

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
    List<List<AsOfIndex.Chunk>> chunks = new ArrayList<>();
    for (int v = 0; v < views.size(); v++) {
      chunks.add(new ArrayList<>());
    }
    for (Tagged tagged : collected) {
      chunks.get(tagged.view()).add(tagged.chunk());
    }
    collected = null; // the chunks are garbage once the indexes hold their rows
    // The views' indexes build side by side (the executors wait for them).
    List<AsOfIndex> indexes =
        IntStream.range(0, views.size())
            .parallel()
            .mapToObj(v -> AsOfIndex.build(chunks.get(v), keyTypes, featureTypes.get(v)))
            .toList();
    chunks.clear();
    Broadcast<List<AsOfIndex>> broadcast = context.broadcast(indexes);

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
    // Each probe row is emitted joined with a row of its features; a projection then drops the
    // probe's helper columns (generated code, no boxing of the entity columns).
    StructType joinedSchema = probe.schema();
    List<Column> output = new ArrayList<>();
    for (String name : entitySchema.fieldNames()) {
      output.add(col(AsOfJoin.quote(name)));
    }
    int f = 0;
    for (DataType[] types : featureTypes) {
      for (DataType type : types) {
        String name = outputNames.get(f++);
        joinedSchema = joinedSchema.add(new StructField(name, type, true, Metadata.empty()));
        output.add(col(AsOfJoin.quote(name)));
      }
    }
    Lookup lookup =
        new Lookup(
            broadcast,
            entitySchema.size(),
            keyOrdinals,
            featureTypes.toArray(DataType[][]::new),
            ttls,
            keyCount);
    RDD<InternalRow> joined =
        probe.queryExecution().toRdd().toJavaRDD().mapPartitions(lookup).rdd();
    return spark
        .internalCreateDataFrame(joined, joinedSchema, false)
        .select(output.toArray(Column[]::new));
  }

  /** A chunk of one view's rows. */
  private record Tagged(int view, AsOfIndex.Chunk chunk) implements Serializable {}

  /** The task side: each entity row with its features from the indexes. */
  private static final class Lookup implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    @Serial private static final long serialVersionUID = 1L;

    private final Broadcast<List<AsOfIndex>> indexes;
    private final int entityWidth;
    private final int[] keyOrdinals;
    private final DataType[][] featureTypes;
    private final long[] ttls;
    private final int keyCount;

    Lookup(
        Broadcast<List<AsOfIndex>> indexes,
        int entityWidth,
        int[] keyOrdinals,
        DataType[][] featureTypes,
        long[] ttls,
        int keyCount) {
      this.indexes = indexes;
      this.entityWidth = entityWidth;
      this.keyOrdinals = keyOrdinals;
      this.featureTypes = featureTypes;
      this.ttls = ttls;
      this.keyCount = keyCount;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> input) {
      List<AsOfIndex> views = indexes.value();
      UnsafeRow[] cursors = new UnsafeRow[views.size()];
      List<DataType> allTypes = new ArrayList<>();
      for (int v = 0; v < cursors.length; v++) {
        cursors[v] = new UnsafeRow(views.get(v).fields());
        allTypes.addAll(Arrays.asList(featureTypes[v]));
      }
      // Reused for every row: the rows are projected to Spark's own rows as they come.
      SpecificInternalRow features =
          new SpecificInternalRow(CollectionConverters.asScala(allTypes).toSeq());
      JoinedRow joined = new JoinedRow();
      int hashOrdinal = entityWidth;
      int microsOrdinal = entityWidth + 1;
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
          boolean keyed = !row.isNullAt(microsOrdinal);
          for (int ordinal : keyOrdinals) {
            keyed &= !row.isNullAt(ordinal);
          }
          long hash = keyed ? row.getLong(hashOrdinal) : 0;
          long ts = keyed ? row.getLong(microsOrdinal) : 0;
          int at = 0;
          for (int v = 0; v < cursors.length; v++) {
            DataType[] types = featureTypes[v];
            int found =
                keyed ? views.get(v).find(hash, row, keyOrdinals, ts, ttls[v], cursors[v]) : -1;
            UnsafeRow best = cursors[v];
            for (int j = 0; j < types.length; j++) {
              int ordinal = firstFeature + j;
              if (found < 0 || best.isNullAt(ordinal)) {
                features.setNullAt(at + j);
              } else {
                features.update(at + j, best.get(ordinal, types[j]));
              }
            }
            at += types.length;
          }
          return joined.apply(row, features);
        }
      };
    }
  }
}
