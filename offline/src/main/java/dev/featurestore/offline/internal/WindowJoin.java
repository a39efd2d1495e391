/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

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

import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.SourceColumns;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.SourceRows;
import dev.featurestore.spark.SparkTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
 * The windowed-aggregation join of entity rows with the raw events of aggregated views that share
 * the same key columns: one shuffle and one sort of the union of both, then a streaming pass
 * ({@link WindowMerge}) that builds each key's tiles as its events go by and computes the values as
 * of each entity row with {@link dev.featurestore.aggregation.WindowValues#asOf}, the computation
 * the online service runs on the materialized tiles (docs/offline.md, "Aggregated views").
 */
public final class WindowJoin {
  private WindowJoin() {}

  /**
   * One aggregated view in a join.
   *
   * @param rows its prepared events ({@link #prepare}): keys (in the group's key order), {@code
   *     ts}, {@code created} (epoch micros, created may be null), then the layout's columns
   * @param layout the view's tile layout
   * @param aggregations the requested aggregations, as indexes into {@link
   *     TileLayout#aggregations()}, in output order
   */
  public record View(Dataset<Row> rows, TileLayout layout, int[] aggregations) {
    public View {
      aggregations = aggregations.clone();
    }

    /** The Spark types of the requested aggregations' values. */
    List<DataType> outputTypes() {
      List<Aggregation> all = layout.aggregations();
      return Arrays.stream(aggregations)
          .mapToObj(i -> SparkTypes.of(all.get(i).outputType()))
          .toList();
    }
  }

  /**
   * The source columns an aggregated view reads, checked with the one rule of {@link
   * SourceColumns}: the source's timestamps, the join keys and the layout's columns with their
   * types (an aggregated view's features are its aggregations, whose types are output types).
   */
  public static List<SourceColumns.Use> sourceUses(
      ParquetSource source, FeatureView view, List<JoinKey> joinKeys, TileLayout layout) {
    List<SourceColumns.Use> uses = new ArrayList<>(SourceColumns.timestampUses(source));
    uses.addAll(SourceColumns.viewUses(view, joinKeys, List.of()));
    List<String> columns = layout.columns();
    for (int c = 0; c < columns.size(); c++) {
      String column = columns.get(c);
      String readers =
          layout.aggregations().stream()
              .filter(a -> a.column().filter(column::equals).isPresent())
              .map(Aggregation::name)
              .findFirst()
              .orElse(column);
      uses.add(
          new SourceColumns.Use(
              column,
              layout.columnTypes().get(c),
              "aggregation '" + readers + "' of feature view '" + view.name() + "'",
              "feature_views." + view.name() + ".aggregations." + readers + ".type"));
    }
    return uses;
  }

  /**
   * Projects and filters an aggregated view's source to the events any entity row's window can
   * cover: keys and timestamp set, event time in {@code [floor_H(min) - longest window, max]} of
   * the entity timestamps (literal bounds, pushed down to Parquet).
   *
   * @param keySourceColumns the key columns in the source, in the group's key order
   * @param keyTypes their declared types
   * @param minMicros the earliest entity timestamp
   * @param maxMicros the latest entity timestamp
   */
  public static Dataset<Row> prepare(
      SourceRows source,
      List<String> keySourceColumns,
      List<ValueType> keyTypes,
      TileLayout layout,
      long minMicros,
      long maxMicros) {
    Column ts = source.eventTimestamp();
    Column keep = ts.isNotNull();
    for (String key : keySourceColumns) {
      keep = keep.and(col(AsOfJoin.quote(key)).isNotNull());
    }
    long start =
        Windows.windowStart(minMicros, layout.longestWindowMicros(), layout.intervalMicros());
    keep = keep.and(source.eventTimeWithin(Optional.of(instant(start)), instant(maxMicros)));
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < keySourceColumns.size(); i++) {
      String key = keySourceColumns.get(i);
      columns.add(source.column(key, keyTypes.get(i)).as(key));
    }
    columns.add(unix_micros(ts).as("ts"));
    columns.add(
        source
            .createdTimestamp()
            .map(c -> unix_micros(c))
            .orElse(lit(null).cast(DataTypes.LongType))
            .as("created"));
    List<String> layoutColumns = layout.columns();
    for (int c = 0; c < layoutColumns.size(); c++) {
      columns.add(source.column(layoutColumns.get(c), layout.columnTypes().get(c)).as("c" + c));
    }
    return source.rows().where(keep).select(columns.toArray(Column[]::new));
  }

  /**
   * Returns the entity rows with the requested aggregations of every view appended as columns
   * {@code outputNames} (in view order); the entity columns are kept as they are, and so is the
   * number of rows.
   *
   * @param keyColumns the entity columns holding the key, in the order the views' keys are prepared
   * @param timestampColumn the entity timestamp column (a Spark timestamp)
   * @param outputNames one column name per requested aggregation of every view, in order
   * @param bucketBaseMicros the earliest event time that matters; time buckets of the sort prefix
   *     count from here
   */
  public static Dataset<Row> join(
      Dataset<Row> entities,
      List<String> keyColumns,
      String timestampColumn,
      List<View> views,
      List<String> outputNames,
      long bucketBaseMicros) {
    int keyCount = keyColumns.size();
    StructType entitySchema = entities.schema();
    // Union layout: keys, ts, tag, created, every view's columns (null on other rows), entity.
    List<List<DataType>> columnTypes = new ArrayList<>();
    for (View view : views) {
      columnTypes.add(view.layout().columnTypes().stream().map(SparkTypes::of).toList());
    }

    List<Column> entitySide = new ArrayList<>();
    for (int i = 0; i < keyCount; i++) {
      entitySide.add(col(AsOfJoin.quote(keyColumns.get(i))).as("k" + i));
    }
    entitySide.add(unix_micros(col(AsOfJoin.quote(timestampColumn))).as("ts"));
    entitySide.add(lit(views.size()).as("tag"));
    entitySide.add(lit(null).cast(DataTypes.LongType).as("created"));
    for (int v = 0; v < views.size(); v++) {
      for (int c = 0; c < columnTypes.get(v).size(); c++) {
        entitySide.add(lit(null).cast(columnTypes.get(v).get(c)).as("v" + v + "c" + c));
      }
    }
    entitySide.add(
        struct(
                Arrays.stream(entitySchema.fieldNames())
                    .map(n -> col(AsOfJoin.quote(n)))
                    .toArray(Column[]::new))
            .as("entity"));
    Dataset<Row> union = entities.select(entitySide.toArray(Column[]::new));

    for (int v = 0; v < views.size(); v++) {
      Dataset<Row> rows = views.get(v).rows();
      String[] names = rows.columns();
      List<Column> sourceSide = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        sourceSide.add(col(AsOfJoin.quote(names[i])).as("k" + i));
      }
      sourceSide.add(col("ts"));
      sourceSide.add(lit(v).as("tag"));
      sourceSide.add(col("created"));
      for (int w = 0; w < views.size(); w++) {
        for (int c = 0; c < columnTypes.get(w).size(); c++) {
          sourceSide.add(
              (w == v ? col("c" + c) : lit(null).cast(columnTypes.get(w).get(c)))
                  .as("v" + w + "c" + c));
        }
      }
      sourceSide.add(lit(null).cast(entitySchema).as("entity"));
      union = union.union(rows.select(sourceSide.toArray(Column[]::new)));
    }

    // The same sort as the as-of join (AsOfMerge's class comment): a 64-bit prefix of 31 bits of
    // key hash and 32 bits of ~1 s time buckets, then keys, time, and events before entity rows at
    // equal times, so that an event at exactly an entity row's timestamp is in its window.
    List<Column> partitionBy = new ArrayList<>();
    List<Column> sortBy = new ArrayList<>();
    sortBy.add(col("sk"));
    for (int i = 0; i < keyCount; i++) {
      partitionBy.add(col("k" + i));
      sortBy.add(col("k" + i));
    }
    Column bucket =
        greatest(
            lit(0L),
            least(lit(0xFFFFFFFFL), shiftright(col("ts").minus(lit(bucketBaseMicros)), 20)));
    Column hash =
        shiftleft(shiftrightunsigned(xxhash64(partitionBy.toArray(Column[]::new)), 33), 32);
    union = union.withColumn("sk", hash.bitwiseOR(bucket));
    sortBy.add(col("ts"));
    sortBy.add(col("tag"));
    Dataset<Row> sorted =
        union
            .repartition(partitionBy.toArray(Column[]::new))
            .sortWithinPartitions(sortBy.toArray(Column[]::new));

    StructType outSchema = entitySchema;
    int out = 0;
    int[][] requested = new int[views.size()][];
    TileLayout[] layouts = new TileLayout[views.size()];
    for (int v = 0; v < views.size(); v++) {
      View view = views.get(v);
      layouts[v] = view.layout();
      requested[v] = view.aggregations();
      for (DataType type : view.outputTypes()) {
        outSchema =
            outSchema.add(new StructField(outputNames.get(out++), type, true, Metadata.empty()));
      }
    }
    DataType[] keyTypes = new DataType[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keyTypes[i] = sorted.schema().apply("k" + i).dataType();
    }
    DataType[] entityTypes =
        Arrays.stream(entitySchema.fields()).map(StructField::dataType).toArray(DataType[]::new);
    WindowMerge merge = new WindowMerge(keyTypes, entityTypes, layouts, requested);
    RDD<InternalRow> merged =
        sorted.queryExecution().toRdd().toJavaRDD().mapPartitions(merge).rdd();
    return ((SparkSession) sorted.sparkSession()).internalCreateDataFrame(merged, outSchema, false);
  }

  private static Instant instant(long epochMicros) {
    return Instant.EPOCH.plusNanos(Math.multiplyExact(epochMicros, 1000L));
  }
}
