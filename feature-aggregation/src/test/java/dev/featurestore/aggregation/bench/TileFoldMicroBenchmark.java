/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation.bench;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.WindowValues;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The CPU an online lookup of one aggregated entity spends in this module (not a test): decoding
 * 168 tiles of 20 events (7 days of 1h tiles, the online benchmark's entity) and folding the
 * issue's nine aggregations, in one thread. Prints microseconds per lookup for decode alone, fold
 * alone, and both. Run: {@code ./mvnw -pl feature-aggregation test-compile} then java with the test
 * class path, or from an IDE.
 */
public final class TileFoldMicroBenchmark {
  private TileFoldMicroBenchmark() {}

  public static void main(String[] args) {
    TileLayout layout = TileLayout.of(view());
    long interval = layout.intervalMicros();
    long now = 1_796_000_000_000_000L;
    long head = Windows.tileOf(now, interval);
    Random random = new Random(42);
    List<byte[]> encoded = new ArrayList<>();
    List<Long> indexes = new ArrayList<>();
    for (long tile = head - 167; tile <= head; tile++) {
      Tile partial = new Tile(layout);
      for (int e = 0; e < 20; e++) {
        long event =
            Math.min(
                now, Windows.tileStart(tile, interval) + (long) (random.nextDouble() * interval));
        partial.add(
            event,
            Tile.NO_CREATED,
            new Object[] {5 + 40 * random.nextDouble(), (long) random.nextInt(5_000)});
      }
      encoded.add(TileCodec.encode(partial, now));
      indexes.add(tile);
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    SortedMap<Long, Tile> decoded = decode(layout, encoded, indexes);
    long sink = 0;
    for (int phase = 0; phase < 2; phase++) {
      long start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        sink += decode(layout, encoded, indexes).size();
      }
      double decodeMicros = (System.nanoTime() - start) / 1e3 / rounds;
      start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        sink += WindowValues.asOf(layout, now, decoded).values().size();
      }
      double foldMicros = (System.nanoTime() - start) / 1e3 / rounds;
      System.out.printf(
          "%s: decode %.1f us, fold %.1f us per lookup of 168 tiles (%d)%n",
          phase == 0 ? "warm-up" : "measured", decodeMicros, foldMicros, sink);
    }
  }

  private static SortedMap<Long, Tile> decode(
      TileLayout layout, List<byte[]> encoded, List<Long> indexes) {
    SortedMap<Long, Tile> tiles = new TreeMap<>();
    for (int i = 0; i < encoded.size(); i++) {
      tiles.put(indexes.get(i), TileCodec.decode(layout, encoded.get(i)));
    }
    return tiles;
  }

  private static FeatureView view() {
    List<Aggregation> list = new ArrayList<>();
    list.add(agg("trips_1h", AggregationFunction.COUNT, null, 1, 0));
    list.add(agg("fare_sum_24h", AggregationFunction.SUM, "fare", 24, 0));
    list.add(agg("fare_avg_7d", AggregationFunction.AVG, "fare", 168, 0));
    list.add(agg("fare_max_24h", AggregationFunction.MAX, "fare", 24, 0));
    list.add(agg("fare_min_1h", AggregationFunction.MIN, "fare", 1, 0));
    list.add(agg("fare_std_7d", AggregationFunction.STDDEV, "fare", 168, 0));
    list.add(agg("fare_last_24h", AggregationFunction.LAST, "fare", 24, 0));
    list.add(agg("fares_last3_7d", AggregationFunction.LAST_N, "fare", 168, 3));
    list.add(agg("riders_7d", AggregationFunction.APPROX_COUNT_DISTINCT, "rider_id", 168, 0));
    return new FeatureView(
        "driver_trips",
        List.of("driver"),
        "trips_src",
        Duration.ZERO,
        true,
        List.of(),
        Map.of(),
        "",
        Optional.empty(),
        Optional.of(new Aggregations(Duration.ofHours(1), list)));
  }

  private static Aggregation agg(
      String name, AggregationFunction f, String column, int hours, int n) {
    ValueType type =
        column == null ? null : column.equals("fare") ? ValueType.FLOAT64 : ValueType.INT64;
    return new Aggregation(
        name,
        f,
        Optional.ofNullable(column),
        Optional.ofNullable(type),
        Duration.ofHours(hours),
        n,
        "");
  }
}
