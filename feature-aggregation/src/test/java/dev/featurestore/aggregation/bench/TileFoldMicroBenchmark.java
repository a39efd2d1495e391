/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation.bench;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.WindowValues;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.testing.TestDefinitions;
import java.util.ArrayList;
import java.util.List;
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
    TileLayout layout = TileLayout.of(TestDefinitions.driverTrips());
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
}
