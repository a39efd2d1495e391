/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.materializer.TestSupport.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.WindowValues;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Watermarks;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregated views materialized as tiles in a real Redis: the stored tiles are, byte for byte, the
 * tiles built directly from the same events; an older backfill does not regress them; a source
 * missing a column fails naming it and writes nothing.
 */
class TileMaterializationIT {
  // Tomorrow: keys expire at their newest tile's end + longest window + H, so past days would be
  // removed as soon as they are written.
  private static final String DAY = LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T";
  private static final String DAY_BEFORE = LocalDate.now(ZoneOffset.UTC) + "T";
  private static final Instant START = Instant.parse(DAY + "00:30:00Z");
  private static final Instant END = Instant.parse(DAY + "05:15:00Z");

  @TempDir Path dir;

  private static FeatureView view(String column) {
    return new FeatureView(
        "driver_activity",
        List.of("driver"),
        "driver_source",
        Duration.ZERO,
        true,
        List.of(),
        Map.of(),
        "",
        Optional.empty(),
        Optional.of(
            new Aggregations(
                Duration.ofHours(1),
                List.of(
                    aggregation("rides_2h", AggregationFunction.COUNT, null, 2),
                    aggregation("conv_sum_2h", AggregationFunction.SUM, column, 2),
                    aggregation("conv_last_3h", AggregationFunction.LAST, column, 3),
                    new Aggregation(
                        "trips_distinct_3h",
                        AggregationFunction.APPROX_COUNT_DISTINCT,
                        Optional.of("trips"),
                        Optional.of(ValueType.INT64),
                        Duration.ofHours(3),
                        0,
                        "")))));
  }

  private static Aggregation aggregation(
      String name, AggregationFunction function, String column, int hours) {
    return new Aggregation(
        name,
        function,
        Optional.ofNullable(column),
        Optional.ofNullable(column).map(c -> ValueType.FLOAT64),
        Duration.ofHours(hours),
        0,
        "");
  }

  private static final List<Row> ROWS =
      List.of(
          // floor_H(START) = 00:00: the whole first tile is read by a run through 03:15.
          driverRow(1L, DAY + "00:00:00Z", null, 0.5, 1L),
          driverRow(1L, DAY + "00:59:59Z", DAY + "01:00:00Z", 0.25, 2L),
          driverRow(1L, DAY + "03:10:00Z", null, null, 2L),
          driverRow(1L, DAY + "05:15:00Z", null, 1.5, 3L),
          // after END: never read
          driverRow(1L, DAY + "05:15:01Z", null, 9.0, 9L),
          // before floor_H(START): never read
          driverRow(1L, DAY_BEFORE + "23:59:59Z", null, 7.0, 7L),
          driverRow(2L, DAY + "04:00:00Z", null, 0.75, 5L),
          driverRow(null, DAY + "04:00:00Z", null, 0.75, 5L));

  @Test
  void storesTheTilesOfTheEventsByteForByteAndNeverRegressesThem() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = view("conv_rate");
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(parquet, TestSupport.DRIVER_SCHEMA, ROWS);
    Definitions definitions = TestDefinitions.driverProject(project, parquet, view);
    TileLayout layout = TileLayout.of(view);

    List<ViewSummary> summaries =
        TestSupport.materializer(definitions).materialize(List.of(), START, END);

    // The oldest tile kept through 05:15 is 01:00 (05:00 - 3h - H): the 00:00 tile's events,
    // which no window as of 05:15 or later reaches, are not even read.
    assertThat(summaries.get(0).rowsRead()).isEqualTo(4); // 3 of driver 1 and 2, 1 null key
    assertThat(summaries.get(0).nullKeyRows()).isEqualTo(1);
    assertThat(summaries.get(0).keysWritten()).isEqualTo(3); // tiles 03:00, 05:00; 04:00
    Map<Long, byte[]> stored = stored(project, view, 1);
    Map<Long, Tile> expected = new TreeMap<>();
    add(expected, layout, DAY + "00:00:00Z", Tile.NO_CREATED, 0.5, 1L);
    add(expected, layout, DAY + "00:59:59Z", micros(DAY + "01:00:00Z"), 0.25, 2L);
    add(expected, layout, DAY + "03:10:00Z", Tile.NO_CREATED, null, 2L);
    add(expected, layout, DAY + "05:15:00Z", Tile.NO_CREATED, 1.5, 3L);
    // The 00:00 tile is not stored: no window (3h at most) as of 05:15 reaches it.
    expected.remove(Windows.tileOf(micros(DAY + "00:00:00Z"), layout.intervalMicros()));
    assertThat(stored.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (tile, value) ->
            assertThat(stored.get(tile))
                .isEqualTo(TileCodec.encode(value, micros(END.toString()))));
    SortedMap<Long, Tile> decoded = new TreeMap<>();
    stored.forEach((tile, bytes) -> decoded.put(tile, TileCodec.decode(layout, bytes)));
    assertThat(WindowValues.asOf(layout, micros(END.toString()), decoded).values())
        .containsExactly(2L, 1.5, 1.5, 2L); // 03:10 and 05:15 in [03:00, 05:15]

    // An older backfill (through an earlier end) leaves every tile as it was.
    List<ViewSummary> older =
        TestSupport.materializer(definitions)
            .materialize(List.of(), START, END.minus(Duration.ofHours(2)));
    // The older run's 00:00 tile of driver 1 is written (nothing was stored), then trimmed again.
    assertThat(older.get(0).keysWritten()).isEqualTo(1);
    assertThat(older.get(0).keysNotNewer()).isEqualTo(1); // tile 03:00 of driver 1
    Map<Long, byte[]> after = stored(project, view, 1);
    assertThat(after.keySet()).isEqualTo(stored.keySet());
    stored.forEach((tile, bytes) -> assertThat(after.get(tile)).isEqualTo(bytes));
    assertThat(TestSupport.redis().pttl(TestSupport.key(project, view, 1))).isPositive();
  }

  /**
   * An aggregation over a new column added to a view already materialized incrementally: the next
   * incremental run rebuilds the whole longest window (every tile gets the new column), not just
   * from the watermark, and the run after it goes on from the watermark again.
   */
  @Test
  void anIncrementalRunAfterAnAggregationWasAddedRebuildsTheWindow() {
    String project = TestDefinitions.uniqueProject();
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(parquet, TestSupport.DRIVER_SCHEMA, ROWS);
    Watermarks watermarks = FileRegistry.open(dir.resolve("registry")).watermarks();
    FeatureView before = view("conv_rate");
    FeatureView sumsOnly =
        withAggregations(before, before.aggregations().orElseThrow().aggregations().subList(0, 2));
    FeatureView after = before; // + conv_last_3h and trips_distinct_3h: column trips, window 3h

    TestSupport.materializer(TestDefinitions.driverProject(project, parquet, sumsOnly))
        .materializeIncremental(List.of(), END, watermarks);
    ViewSummary rebuilt =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, after))
            .materializeIncremental(List.of(), END, watermarks)
            .get(0);

    // From floor_H(END) - 3h = 02:00, not from the watermark's 05:00: 03:10 and 05:15 of driver 1,
    // 04:00 of driver 2 and of the null key.
    assertThat(rebuilt.start()).contains(Instant.parse(DAY + "02:00:00Z"));
    assertThat(rebuilt.rowsRead()).isEqualTo(4);
    TileLayout layout = TileLayout.of(after);
    SortedMap<Long, Tile> decoded = new TreeMap<>();
    stored(project, after, 1)
        .forEach((t, bytes) -> decoded.put(t, TileCodec.decode(layout, bytes)));
    // trips 2 (03:10) and 3 (05:15): both tiles hold the new column.
    assertThat(WindowValues.asOf(layout, micros(END.toString()), decoded).values().get(3))
        .isEqualTo(2L);
    assertThat(watermarks.read(Materializer.layoutWatermark(after))).contains(END);

    ViewSummary next =
        TestSupport.materializer(TestDefinitions.driverProject(project, parquet, after))
            .materializeIncremental(List.of(), END, watermarks)
            .get(0);
    assertThat(next.rowsRead()).isEqualTo(1); // from the watermark: 05:15 only
  }

  private static FeatureView withAggregations(FeatureView view, List<Aggregation> aggregations) {
    return new FeatureView(
        view.name(),
        view.entities(),
        view.source(),
        view.ttl(),
        view.online(),
        List.of(),
        view.tags(),
        view.description(),
        Optional.empty(),
        Optional.of(new Aggregations(Duration.ofHours(1), aggregations)));
  }

  @Test
  void failsNamingAMissingColumnAndWritesNothing() {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = view("fare");
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(parquet, TestSupport.DRIVER_SCHEMA, ROWS);
    Definitions definitions = TestDefinitions.driverProject(project, parquet, view);

    assertThatThrownBy(
            () -> TestSupport.materializer(definitions).materialize(List.of(), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("Cannot materialize feature view 'driver_activity'")
        .hasMessageContaining("has no column 'fare'")
        .hasMessageContaining("conv_rate");
    assertThat(TestSupport.redis().exists(TestSupport.key(project, view, 1))).isZero();
  }

  private static void add(
      Map<Long, Tile> tiles, TileLayout layout, String at, long created, Double conv, Long trips) {
    long ts = micros(at);
    tiles
        .computeIfAbsent(Windows.tileOf(ts, layout.intervalMicros()), t -> new Tile(layout))
        .add(ts, created, new Object[] {conv, trips});
  }

  private static Map<Long, byte[]> stored(String project, FeatureView view, long driver) {
    Map<Long, byte[]> tiles = new HashMap<>();
    TestSupport.redis()
        .hgetall(TestSupport.key(project, view, driver))
        .forEach((field, value) -> tiles.put(TileCodec.tile(field), value));
    return tiles;
  }
}
