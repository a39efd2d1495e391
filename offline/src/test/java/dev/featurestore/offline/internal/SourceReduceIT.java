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
    EntityTimes times =
        EntityTimes.collect(entities, keyColumns, "event_timestamp", 1000).orElseThrow();
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
    assertThat(EntityTimes.collect(entities, List.of("k"), "event_timestamp", 1)).isEmpty();
    assertThat(EntityTimes.collect(entities, List.of("k"), "event_timestamp", 2))
        .hasValueSatisfying(
            times -> {
              assertThat(times.pairs()).isEqualTo(2);
              assertThat(times.keys()).isEqualTo(1);
            });
    assertThat(EntityTimes.collect(entities, List.of("k"), "event_timestamp", 0)).isEmpty();
    assertThat(EntityTimes.collect(entities, List.of("k"), "event_timestamp", Long.MAX_VALUE))
        .hasValueSatisfying(times -> assertThat(times.pairs()).isEqualTo(2));
  }
}
