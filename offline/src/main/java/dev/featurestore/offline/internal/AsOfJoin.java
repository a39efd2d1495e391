/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftleft;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The sort-based as-of join of entity rows with the source rows of views that share the same key
 * columns: one shuffle and one sort of the union, then a streaming pass ({@link AsOfMerge}).
 */
public final class AsOfJoin {
  /** Below this many bits of key hash (a time span over ~35 years), the sort uses every column. */
  private static final int MIN_EXACT_HASH_BITS = 12;

  private AsOfJoin() {}

  /**
   * The prepared source rows of one view: columns {@code keys...} (in the group's key order, typed
   * like the entity columns), {@code ts} and {@code created} (epoch micros), then the features.
   *
   * @param rows the projected and filtered source rows
   * @param featureTypes the Spark type of each feature column
   * @param ttlMicros the view's TTL in microseconds, 0 for none
   */
  public record PreparedView(Dataset<Row> rows, List<DataType> featureTypes, long ttlMicros) {
    public PreparedView {
      featureTypes = List.copyOf(featureTypes);
    }
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
   * @param bucketBaseMicros the earliest timestamp that matters (min entity timestamp minus the
   *     largest TTL); time buckets of the sort prefix count from here
   * @param lastMicros the latest entity timestamp (source rows are filtered to at most it)
   */
  public static Dataset<Row> join(
      Dataset<Row> entities,
      List<String> keyColumns,
      String timestampColumn,
      List<PreparedView> views,
      List<String> outputNames,
      long bucketBaseMicros,
      long lastMicros) {
    int keyCount = keyColumns.size();
    // Views share feature slots of the same type: a source row carries only its own view's values,
    // so the shuffled rows stay as narrow as the widest view.
    List<DataType> slotTypes = new ArrayList<>();
    int[][] slots = new int[views.size()][];
    long[] ttls = new long[views.size()];
    List<DataType> featureTypes = new ArrayList<>();
    for (int v = 0; v < views.size(); v++) {
      List<DataType> types = views.get(v).featureTypes();
      slots[v] = new int[types.size()];
      List<Integer> used = new ArrayList<>();
      for (int f = 0; f < types.size(); f++) {
        int slot = -1;
        for (int s = 0; s < slotTypes.size(); s++) {
          if (slotTypes.get(s).equals(types.get(f)) && !used.contains(s)) {
            slot = s;
            break;
          }
        }
        if (slot < 0) {
          slot = slotTypes.size();
          slotTypes.add(types.get(f));
        }
        used.add(slot);
        slots[v][f] = slot;
      }
      ttls[v] = views.get(v).ttlMicros();
      featureTypes.addAll(types);
    }
    StructType entitySchema = entities.schema();

    List<Column> entitySide = new ArrayList<>();
    for (int i = 0; i < keyCount; i++) {
      entitySide.add(col(quote(keyColumns.get(i))).as("k" + i));
    }
    entitySide.add(unix_micros(col(quote(timestampColumn))).as("ts"));
    entitySide.add(lit(views.size()).as("tag"));
    entitySide.add(lit(null).cast(DataTypes.LongType).as("created"));
    for (int s = 0; s < slotTypes.size(); s++) {
      entitySide.add(lit(null).cast(slotTypes.get(s)).as("s" + s));
    }
    entitySide.add(
        struct(
                Arrays.stream(entitySchema.fieldNames())
                    .map(n -> col(quote(n)))
                    .toArray(Column[]::new))
            .as("entity"));
    Dataset<Row> union = entities.select(entitySide.toArray(Column[]::new));

    for (int v = 0; v < views.size(); v++) {
      Dataset<Row> rows = views.get(v).rows();
      String[] names = rows.columns();
      List<Column> sourceSide = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        sourceSide.add(col(quote(names[i])).as("k" + i));
      }
      sourceSide.add(col(quote(names[keyCount])).as("ts"));
      sourceSide.add(lit(v).as("tag"));
      sourceSide.add(col(quote(names[keyCount + 1])).as("created"));
      Column[] slotColumns = new Column[slotTypes.size()];
      for (int f = 0; f < slots[v].length; f++) {
        slotColumns[slots[v][f]] = col(quote(names[keyCount + 2 + f])).as("s" + slots[v][f]);
      }
      for (int s = 0; s < slotColumns.length; s++) {
        sourceSide.add(
            slotColumns[s] != null ? slotColumns[s] : lit(null).cast(slotTypes.get(s)).as("s" + s));
      }
      sourceSide.add(lit(null).cast(entitySchema).as("entity"));
      union = union.union(rows.select(sourceSide.toArray(Column[]::new)));
    }

    List<Column> partitionBy = new ArrayList<>();
    for (int i = 0; i < keyCount; i++) {
      partitionBy.add(col("k" + i));
    }
    Column keyHash = xxhash64(partitionBy.toArray(Column[]::new));
    Column sinceBase = col("ts").minus(lit(bucketBaseMicros));
    List<Column> sortBy = new ArrayList<>();
    sortBy.add(col("sk"));
    // The bits that hold every microsecond from the base to the last entity timestamp.
    int timeBits = 64 - Long.numberOfLeadingZeros(Math.max(1, lastMicros - bucketBaseMicros));
    int hashBits = 62 - timeBits;
    boolean exact = hashBits >= MIN_EXACT_HASH_BITS;
    if (exact) {
      // One long orders the rows completely: the key hash's top bits, the microseconds since the
      // base (older rows clamped to 0: they precede every entity row, and the merge keeps the best
      // of them whatever their order), then 0 for a source row, 1 for an entity row. A sort on a
      // single key that its prefix decides is a radix sort of the prefixes in Spark.
      Column micros = greatest(lit(0L), least(lit((1L << timeBits) - 1), sinceBase));
      Column entity = col("tag").equalTo(lit(views.size())).cast(DataTypes.LongType);
      union =
          union.withColumn(
              "sk",
              coalesce(
                  shiftleft(shiftrightunsigned(keyHash, 64 - hashBits), timeBits + 1)
                      .bitwiseOR(shiftleft(micros, 1))
                      .bitwiseOR(entity),
                  lit(0L)));
    } else {
      // 31 bits of key hash, then 32 bits of ~1 s time buckets (2^20 µs; 142 years, clamped).
      Column bucket = greatest(lit(0L), least(lit(0xFFFFFFFFL), shiftright(sinceBase, 20)));
      union =
          union.withColumn("sk", shiftleft(shiftrightunsigned(keyHash, 33), 32).bitwiseOR(bucket));
      for (int i = 0; i < keyCount; i++) {
        sortBy.add(col("k" + i));
      }
      sortBy.add(col("ts"));
      sortBy.add(col("tag"));
    }
    Dataset<Row> sorted =
        union
            .repartition(partitionBy.toArray(Column[]::new))
            .sortWithinPartitions(sortBy.toArray(Column[]::new));

    StructType outSchema = entitySchema;
    for (int f = 0; f < featureTypes.size(); f++) {
      outSchema =
          outSchema.add(
              new StructField(outputNames.get(f), featureTypes.get(f), true, Metadata.empty()));
    }
    DataType[] keyTypes = new DataType[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keyTypes[i] = sorted.schema().apply("k" + i).dataType();
    }
    DataType[] entityTypes =
        Arrays.stream(entitySchema.fields()).map(StructField::dataType).toArray(DataType[]::new);
    AsOfMerge merge =
        new AsOfMerge(
            keyTypes,
            slotTypes.toArray(DataType[]::new),
            entityTypes,
            slots,
            ttls,
            exact ? timeBits + 1 : 32);
    RDD<InternalRow> merged =
        sorted.queryExecution().toRdd().toJavaRDD().mapPartitions(merge).rdd();
    return ((SparkSession) sorted.sparkSession()).internalCreateDataFrame(merged, outSchema, false);
  }

  /** Quotes a column name for {@code col()} so dots and backticks are taken literally. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
