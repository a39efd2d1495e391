/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import static dev.featurestore.aggregation.WindowValuesTest.TRIPS;
import static dev.featurestore.aggregation.WindowValuesTest.event;
import static dev.featurestore.aggregation.WindowValuesTest.roundTrip;
import static dev.featurestore.aggregation.WindowValuesTest.tiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.aggregation.testing.ReferenceWindows;
import dev.featurestore.aggregation.testing.ReferenceWindows.Event;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link Tile#merge}: a pushed tile merged into a stored one holds the events of both. */
class TileMergeTest {
  private static final long HOUR = 3_600_000_000L;
  private static final long DAY = 24 * HOUR;

  /** Indexes of TRIPS's aggregations whose merged value is exact; the others are sums. */
  private static final List<Integer> EXACT = List.of(0, 3, 4, 6, 7, 8, 9, 10);

  private static final List<Integer> ROUNDED = List.of(1, 2, 5);

  @Test
  void aMergedTileGivesTheValuesOfOneTileOfAllItsEvents() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY + 5 * HOUR + HOUR / 2;
    // Hand-computed: stored {2, 4} and pushed {9} in one tile: sum 15, mean 5, M2 = 9+1+16 = 26.
    SortedMap<Long, Tile> stored =
        roundTrip(layout, tiles(layout, List.of(event(t - 10, 2.0, 1L), event(t - 9, 4.0, 2L))));
    SortedMap<Long, Tile> pushed = tiles(layout, List.of(event(t - 20, 9.0, 1L)));
    long tile = Windows.tileOf(t, HOUR);
    Tile merged = Tile.merge(stored.get(tile), pushed.get(tile));
    List<Object> values =
        WindowValues.asOf(layout, t, new TreeMap<>(java.util.Map.of(tile, merged))).values();
    assertThat(values.get(0)).isEqualTo(3L); // rows
    assertThat(values.get(1)).isEqualTo(15.0); // sum
    assertThat(values.get(2)).isEqualTo(5.0); // avg
    assertThat((Double) values.get(5)).isCloseTo(Math.sqrt(13.0), within(1e-15)); // 26 / 2
    assertThat(values.get(3)).isEqualTo(9.0); // max
    assertThat(values.get(4)).isEqualTo(2.0); // min
    assertThat(values.get(6)).isEqualTo(4.0); // last: the newest event, t - 9
    assertThat(values.get(7)).isEqualTo(List.of(4.0, 2.0, 9.0)); // newest first
    assertThat(values.get(8)).isEqualTo(2L); // riders 1 and 2
    assertThat(values.get(10)).isEqualTo(4L); // rider_sum: 1 + 2 + 1
    assertThat(merged.newestEventMicros()).isEqualTo(t - 9);
    assertThatThrownBy(() -> merged.add(t, Tile.NO_CREATED, new Object[] {1.0, 1L}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void mergingWithAnEmptyTileChangesNoBit() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY + HOUR / 2;
    List<Event> events = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      events.add(event(t - random.nextInt(1_000_000), random.nextDouble() * 100, 1L + i % 13));
    }
    long tile = Windows.tileOf(t, HOUR);
    Tile decoded = roundTrip(layout, tiles(layout, events)).get(tile);
    byte[] alone = TileCodec.encode(decoded, 5L);
    assertThat(TileCodec.encode(Tile.merge(decoded, new Tile(layout)), 5L)).isEqualTo(alone);
    assertThat(TileCodec.encode(Tile.merge(new Tile(layout), decoded), 5L)).isEqualTo(alone);
  }

  /**
   * Random events split at random between a stored tile (encoded and decoded, as Redis holds it)
   * and pushes merged into it one after the other: every window's value equals the plain reference
   * over all the events: counts, min, max, last values and distinct counts exactly, sums, averages
   * and standard deviations within 1e-9 relative.
   */
  @Test
  void pushesMergedOneByOneEqualTheReference() {
    TileLayout layout = TileLayout.of(TRIPS);
    for (int seed = 0; seed < 30; seed++) {
      Random random = new Random(seed);
      long t = 100 * DAY + random.nextInt(24) * HOUR + random.nextInt((int) (HOUR / 1000)) * 1000L;
      List<Event> all = new ArrayList<>();
      SortedMap<Long, Tile> stored = new TreeMap<>();
      List<Event> first = new ArrayList<>();
      for (int i = 0; i < random.nextInt(40); i++) {
        first.add(randomEvent(random, t));
      }
      all.addAll(first);
      stored.putAll(roundTrip(layout, tiles(layout, first)));
      int pushes = 1 + random.nextInt(6);
      for (int p = 0; p < pushes; p++) {
        List<Event> push = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
          push.add(randomEvent(random, t));
        }
        all.addAll(push);
        tiles(layout, push)
            .forEach(
                (index, tile) -> {
                  Tile old = stored.get(index);
                  Tile merged = old == null ? tile : Tile.merge(old, tile);
                  // As the push writes it and the lookup reads it.
                  stored.put(
                      index, TileCodec.decode(layout, TileCodec.encode(merged, Long.MIN_VALUE)));
                });
      }
      List<Object> actual = WindowValues.asOf(layout, t, stored).values();
      List<Object> expected = ReferenceWindows.valuesAsOf(TRIPS, all, t);
      for (int i : EXACT) {
        assertThat(actual.get(i)).as("seed %d, aggregation %d", seed, i).isEqualTo(expected.get(i));
      }
      for (int i : ROUNDED) {
        if (expected.get(i) == null) {
          assertThat(actual.get(i)).as("seed %d, aggregation %d", seed, i).isNull();
        } else {
          double e = (Double) expected.get(i);
          assertThat((Double) actual.get(i))
              .as("seed %d, aggregation %d", seed, i)
              .isCloseTo(e, within(1e-9 * Math.max(1, Math.abs(e))));
        }
      }
    }
  }

  @Test
  void tilesOfAnotherLayoutAreRefused() {
    TileLayout layout = TileLayout.of(TRIPS);
    TileLayout other =
        TileLayout.of(
            WindowValuesTest.view(
                List.of(
                    WindowValuesTest.of(
                        "n",
                        AggregationFunction.COUNT,
                        "fare",
                        ValueType.FLOAT64,
                        Duration.ofHours(1)))));
    assertThatThrownBy(() -> Tile.merge(new Tile(layout), new Tile(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different layouts");
  }

  /** An event within the 7-day window of {@code t} or up to 10 days before, few distinct riders. */
  private static Event randomEvent(Random random, long t) {
    long at = t - (long) (random.nextDouble() * 10 * DAY);
    Double fare = random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 10_000) / 100.0;
    Long rider = random.nextInt(10) == 0 ? null : (long) random.nextInt(20);
    return event(at, fare, rider);
  }
}
