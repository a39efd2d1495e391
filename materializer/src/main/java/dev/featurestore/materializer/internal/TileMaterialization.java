/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import static org.apache.spark.sql.functions.col;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.onlinestore.writer.TileWriter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.spark.SparkTypes;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Materializes an aggregated view as tiles (docs/materializer.md, "Aggregated views"): every tile
 * of every interval the run touches, from all source rows of those intervals up to the run's end
 * (read {@code [floor_H(start), end]}, so the first tile is complete too), written with {@code
 * through = end} by {@link TileWriter} (a tile is never replaced by one through an earlier time).
 * Rows are repartitioned by join keys and sorted by key within partitions, so each task holds the
 * tiles of one key at a time (at most the run's range over {@code H}); nothing reaches the driver
 * but counters.
 */
public final class TileMaterialization {
  private static final String TS = "__ts_micros";
  private static final String CREATED = "__created_micros";

  private TileMaterialization() {}

  /** Counters of one run, read by the driver. */
  public record Counters(LongAccumulator rows, LongAccumulator written, LongAccumulator notNewer)
      implements Serializable {}

  /**
   * The first microsecond read: {@code floor_H(start)}, or, without a start (a first incremental
   * run), {@code floor_H(end) - longest window}.
   */
  public static long readStartMicros(TileLayout layout, Optional<Instant> start, Instant end) {
    long interval = layout.intervalMicros();
    if (start.isPresent()) {
      return Windows.tileStart(Windows.tileOf(Windows.micros(start.get()), interval), interval);
    }
    return Windows.windowStart(Windows.micros(end), layout.longestWindowMicros(), interval);
  }

  /**
   * The first microsecond a run reads: {@link #readStartMicros}, but events of tiles the run would
   * trim at once (older than the longest window + H before its end) are not read, so a backfill
   * over a year reads the last week of a 7d view, not the year.
   */
  public static long firstMicrosRead(TileLayout layout, Optional<Instant> start, Instant end) {
    return Math.max(
        readStartMicros(layout, start, end),
        Windows.tileStart(layout.trimBelowTile(Windows.micros(end)), layout.intervalMicros()));
  }

  /** Reads, tiles and writes one view; returns the rows read with a null key. */
  public static long run(
      SparkSession spark,
      String project,
      FeatureView view,
      ParquetSource source,
      List<JoinKey> joinKeys,
      String location,
      RedisConfig target,
      PartitionWriter.Tuning tuning,
      Optional<Instant> start,
      Instant end,
      Counters counters) {
    TileLayout layout = TileLayout.of(view);
    Dataset<Row> raw = spark.read().parquet(location);
    check(view, source, raw.schema(), layout, joinKeys);
    long through = Windows.micros(end);
    long trimBelowTile = layout.trimBelowTile(through);
    long from = firstMicrosRead(layout, start, end);
    List<Column> columns = new ArrayList<>();
    for (JoinKey key : joinKeys) {
      columns.add(col(key.name()));
    }
    columns.add(org.apache.spark.sql.functions.unix_micros(col(source.timestampField())).as(TS));
    columns.add(
        source
            .createdTimestampField()
            .map(c -> org.apache.spark.sql.functions.unix_micros(col(c)))
            .orElse(org.apache.spark.sql.functions.lit(Tile.NO_CREATED))
            .as(CREATED));
    for (int i = 0; i < layout.columns().size(); i++) {
      String name = layout.columns().get(i);
      columns.add(
          layout.columnTypes().get(i) == ValueType.TIMESTAMP
              ? org.apache.spark.sql.functions.unix_micros(col(name)).as(name)
              : col(name));
    }
    Dataset<Row> events = raw.select(columns.toArray(Column[]::new));
    Column keysPresent = org.apache.spark.sql.functions.lit(true);
    for (JoinKey key : joinKeys) {
      keysPresent = keysPresent.and(col(key.name()).isNotNull());
    }
    Dataset<Row> inRange =
        events.filter(col(TS).isNotNull().and(col(TS).geq(from)).and(col(TS).leq(through)));
    long nullKeys = inRange.filter(org.apache.spark.sql.functions.not(keysPresent)).count();
    Column[] keyColumns = joinKeys.stream().map(k -> col(k.name())).toArray(Column[]::new);
    Dataset<Row> sorted =
        inRange.filter(keysPresent).repartition(keyColumns).sortWithinPartitions(keyColumns);
    spark.sparkContext().setJobDescription("tiles " + project + "/" + view.name());
    try {
      sorted.foreachPartition(
          new WritePartition(
              project,
              view.name(),
              joinKeys,
              layout,
              target,
              tuning,
              trimBelowTile,
              through,
              counters));
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
    return nullKeys;
  }

  private static void check(
      FeatureView view,
      ParquetSource source,
      StructType schema,
      TileLayout layout,
      List<JoinKey> joinKeys) {
    List<String> wanted = new ArrayList<>();
    List<ValueType> types = new ArrayList<>();
    for (JoinKey key : joinKeys) {
      wanted.add(key.name());
      types.add(key.type());
    }
    wanted.add(source.timestampField());
    types.add(ValueType.TIMESTAMP);
    source.createdTimestampField().ifPresent(c -> wanted.add(c));
    source.createdTimestampField().ifPresent(c -> types.add(ValueType.TIMESTAMP));
    wanted.addAll(layout.columns());
    types.addAll(layout.columnTypes());
    for (int i = 0; i < wanted.size(); i++) {
      String name = wanted.get(i);
      Optional<StructField> field =
          Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst();
      if (field.isEmpty()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_DATA,
            "Cannot materialize feature view '%s': source '%s' has no column '%s' (expected %s;"
                + " columns present: %s)",
            view.name(),
            source.name(),
            name,
            types.get(i),
            SparkTypes.sourceTypeNames(schema));
      }
      if (!SparkTypes.matches(field.get().dataType(), types.get(i))) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_DATA,
            "Cannot materialize feature view '%s': column '%s' of source '%s' is %s, expected %s"
                + " (columns present: %s)",
            view.name(),
            name,
            source.name(),
            SparkTypes.sourceTypeName(field.get().dataType()),
            types.get(i),
            SparkTypes.sourceTypeNames(schema));
      }
    }
  }

  /** Tiles one partition's rows (sorted by key) and writes them, key by key. */
  private static final class WritePartition implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;

    private final String project;
    private final String viewName;
    private final List<JoinKey> joinKeys;
    private final TileLayout layout;
    private final RedisConfig target;
    private final PartitionWriter.Tuning tuning;
    private final long trimBelowTile;
    private final long through;
    private final Counters counters;

    WritePartition(
        String project,
        String viewName,
        List<JoinKey> joinKeys,
        TileLayout layout,
        RedisConfig target,
        PartitionWriter.Tuning tuning,
        long trimBelowTile,
        long through,
        Counters counters) {
      this.project = project;
      this.viewName = viewName;
      this.joinKeys = List.copyOf(joinKeys);
      this.layout = layout;
      this.target = target;
      this.tuning = tuning;
      this.trimBelowTile = trimBelowTile;
      this.through = through;
      this.counters = counters;
    }

    @Override
    public void call(Iterator<Row> rows) throws Exception {
      byte[] viewTag = OnlineKeys.viewTag(project, viewName);
      int keys = joinKeys.size();
      int firstColumn = keys + 2;
      long rowsRead = 0;
      try (TileWriter writer =
          new TileWriter(
              RedisConnections.get(target),
              trimBelowTile,
              layout.intervalMicros(),
              layout.lifetimeMicros(),
              tuning.scriptBatchSize(),
              tuning.flushEvery(),
              tuning.maxInFlight())) {
        List<Object> current = null;
        Map<Long, Tile> tiles = new TreeMap<>();
        while (rows.hasNext()) {
          Row row = rows.next();
          List<Object> key = new ArrayList<>(keys);
          for (int i = 0; i < keys; i++) {
            key.add(row.get(i));
          }
          if (!key.equals(current)) {
            flush(writer, viewTag, current, tiles);
            current = key;
          }
          long ts = row.getLong(keys);
          Object[] values = new Object[layout.columns().size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = row.get(firstColumn + i);
          }
          tiles
              .computeIfAbsent(Windows.tileOf(ts, layout.intervalMicros()), t -> new Tile(layout))
              .add(ts, row.isNullAt(keys + 1) ? Tile.NO_CREATED : row.getLong(keys + 1), values);
          rowsRead++;
        }
        flush(writer, viewTag, current, tiles);
        writer.finish();
        counters.written().add(writer.written());
        counters.notNewer().add(writer.notNewer());
      } finally {
        counters.rows().add(rowsRead);
      }
    }

    private void flush(TileWriter writer, byte[] viewTag, List<Object> key, Map<Long, Tile> tiles)
        throws InterruptedException {
      if (key == null) {
        return;
      }
      byte[] redisKey = OnlineKeys.key(OnlineKeys.entityKey(joinKeys, key), viewTag);
      for (Map.Entry<Long, Tile> tile : tiles.entrySet()) {
        writer.write(
            redisKey, TileCodec.field(tile.getKey()), TileCodec.encode(tile.getValue(), through));
      }
      tiles.clear();
    }
  }
}
