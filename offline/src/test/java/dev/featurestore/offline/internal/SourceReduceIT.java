/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.offline.internal.AsOfJoin.PreparedView;
import dev.featurestore.spark.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The map-side reduction on hand-made rows: which source rows survive, and why. */
class SourceReduceIT {
  private static final StructType ENTITIES =
      new StructType()
          .add("k", DataTypes.LongType)
          .add("s", DataTypes.StringType)
          .add("event_timestamp", DataTypes.TimestampType);

  private static Row entity(Long key, String s, Long micros) {
    return RowFactory.create(
        key, s, micros == null ? null : Timestamp.from(Instant.EPOCH.plusNanos(micros * 1000)));
  }

  /**
   * Rows of a prepared view (keys, ts, created (micros), one string feature) in one partition: each
   * task reduces its own rows, so rows split over tasks may keep one best row per task.
   */
  private static Dataset<Row> sources(StructType keys, Row... rows) {
    StructType schema =
        keys.add("ts", DataTypes.LongType)
            .add("created", DataTypes.LongType)
            .add("f", DataTypes.StringType);
    return SparkTestSession.get().createDataFrame(List.of(rows), schema).coalesce(1);
  }

  private static List<String> reduce(
      Dataset<Row> entities, List<String> keyColumns, Dataset<Row> sources, long ttl) {
    SparkSession spark = SparkTestSession.get();
    EntityTimes times = times(entities, keyColumns, 1000).orElseThrow();
    Broadcast<EntityTimes> broadcast =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(times);
    PreparedView view = new PreparedView(sources, List.<DataType>of(DataTypes.StringType), ttl);
    List<String> kept = new ArrayList<>();
    for (Row row : SourceReduce.reduce(view, broadcast, keyColumns.size()).rows().collectAsList()) {
      kept.add(row.getString(row.length() - 1));
    }
    return kept;
  }

  @Test
  void keepsTheBestRowPerEntityTimestampAndDropsWhatNoEntityRowCanPick() {
    Dataset<Row> entities =
        SparkTestSession.get()
            .createDataFrame(
                List.of(
                    entity(1L, "x", 10L),
                    entity(1L, "x", 20L),
                    entity(1L, "x", 20L), // a duplicate pair
                    entity(null, "x", 30L), // a null key: no pair
                    entity(3L, "x", null)), // a null timestamp: no pair
                ENTITIES);
    StructType key = new StructType().add("k", DataTypes.LongType);
    Dataset<Row> sources =
        sources(
            key,
            RowFactory.create(1L, 3L, null, "too old for 10 (ttl 5)"),
            RowFactory.create(1L, 6L, null, "beaten in bucket 10"),
            RowFactory.create(1L, 8L, 1L, "beaten in bucket 10 by a later ts"),
            RowFactory.create(1L, 8L, 0L, "beaten by created"),
            RowFactory.create(1L, 10L, null, "best for 10"),
            RowFactory.create(1L, 15L, null, "best for 20"),
            RowFactory.create(1L, 14L, null, "too old for 20"),
            RowFactory.create(1L, 25L, null, "after every entity row"),
            RowFactory.create(2L, 5L, null, "a key without entity rows"),
            RowFactory.create(3L, 5L, null, "a key whose entity row has no timestamp"));

    assertThat(reduce(entities, List.of("k"), sources, 5))
        .containsExactlyInAnyOrder("best for 10", "best for 20");
    // Without a TTL, old rows stay candidates for the first entity timestamp.
    assertThat(reduce(entities, List.of("k"), sources, 0))
        .containsExactlyInAnyOrder("best for 10", "best for 20");
  }

  @Test
  void breaksTiesLikeTheJoinAndHandlesCompositeKeys() {
    Dataset<Row> entities =
        SparkTestSession.get()
            .createDataFrame(
                List.of(entity(1L, "a", 10L), entity(1L, "b", 10L), entity(2L, "a", 40L)),
                ENTITIES);
    StructType keys = new StructType().add("k", DataTypes.LongType).add("s", DataTypes.StringType);
    Dataset<Row> sources =
        sources(
            keys,
            RowFactory.create(1L, "a", 9L, 5L, "same ts and created, smaller value"),
            RowFactory.create(1L, "a", 9L, 5L, "same ts and created, the greater value"),
            RowFactory.create(1L, "a", 9L, null, "no created loses"),
            RowFactory.create(1L, "b", 1L, null, "only row of (1, b)"),
            RowFactory.create(1L, "c", 1L, null, "no entity row for (1, c)"),
            RowFactory.create(2L, "a", 40L, null, "exactly at the entity timestamp"));

    assertThat(reduce(entities, List.of("k", "s"), sources, 0))
        .containsExactlyInAnyOrder(
            "same ts and created, the greater value",
            "only row of (1, b)",
            "exactly at the entity timestamp");
  }

  @Test
  void givesUpAboveTheLimit() {
    Dataset<Row> entities =
        SparkTestSession.get()
            .createDataFrame(
                List.of(entity(1L, "a", 10L), entity(1L, "a", 20L), entity(1L, "a", 20L)),
                ENTITIES);
    assertThat(times(entities, List.of("k"), 1)).isEmpty();
    assertThat(times(entities, List.of("k"), 2))
        .hasValueSatisfying(
            times -> {
              assertThat(times.pairs()).isEqualTo(2);
              assertThat(times.keys()).isEqualTo(1);
            });
    assertThat(times(entities, List.of("k"), 0)).isEmpty();
    assertThat(times(entities, List.of("k"), Long.MAX_VALUE))
        .hasValueSatisfying(times -> assertThat(times.pairs()).isEqualTo(2));
  }

  private static Optional<EntityTimes> times(
      Dataset<Row> entities, List<String> keyColumns, long limit) {
    return EntityScan.scan(entities, List.of(keyColumns), "event_timestamp", limit).times().get(0);
  }

  @Test
  void scansTheRangeAndEveryGroupsDistinctPairsInOnePass() {
    Dataset<Row> entities =
        SparkTestSession.get()
            .createDataFrame(
                List.of(
                    entity(1L, "x", 10L),
                    entity(1L, "x", 20L),
                    entity(2L, "y", 10L),
                    entity(null, "x", 30L),
                    entity(1L, "x", 20L),
                    entity(1L, "z", 20L),
                    entity(2L, null, 40L),
                    entity(3L, "y", null)),
                ENTITIES)
            .repartition(3);
    List<List<String>> groups = List.of(List.of("k"), List.of("k", "s"));

    EntityScan.Result scan = EntityScan.scan(entities, groups, "event_timestamp", 4);

    assertThat(scan.rows()).isTrue();
    // The row without a timestamp counts for nothing; the rows with a null key count for the range.
    assertThat(scan.minMicros()).isEqualTo(10);
    assertThat(scan.maxMicros()).isEqualTo(40);
    EntityTimes byK = scan.times().get(0).orElseThrow();
    assertThat(byK.keys()).isEqualTo(2); // 1: 10, 20; 2: 10, 40
    assertThat(times(byK)).containsExactlyInAnyOrder(10L, 20L, 10L, 40L);
    EntityTimes byKs = scan.times().get(1).orElseThrow();
    assertThat(byKs.keys()).isEqualTo(3); // (1, x): 10, 20; (2, y): 10; (1, z): 20
    assertThat(times(byKs)).containsExactlyInAnyOrder(10L, 20L, 10L, 20L);

    assertThat(EntityScan.scan(entities, groups, "event_timestamp", 3).times())
        .containsExactly(Optional.empty(), Optional.empty());
    EntityScan.Result none = EntityScan.scan(entities.limit(0), groups, "event_timestamp", 4);
    assertThat(none.rows()).isFalse();
    assertThat(none.times().get(0).orElseThrow().pairs()).isZero();
  }

  private static List<Long> times(EntityTimes times) {
    List<Long> all = new ArrayList<>();
    for (int bucket = 0; bucket < times.pairs(); bucket++) {
      all.add(times.timeOf(bucket));
    }
    return all;
  }
}
