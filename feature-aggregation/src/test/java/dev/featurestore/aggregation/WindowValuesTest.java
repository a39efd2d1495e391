/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.aggregation.testing.ReferenceWindows;
import dev.featurestore.aggregation.testing.ReferenceWindows.Event;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WindowValuesTest {
  private static final long HOUR = 3_600_000_000L;
  private static final long DAY = 24 * HOUR;

  static FeatureView view(List<Aggregation> aggregations) {
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
        Optional.of(new Aggregations(Duration.ofHours(1), aggregations)));
  }

  static Aggregation of(
      String name, AggregationFunction f, String column, ValueType t, Duration w) {
    return new Aggregation(name, f, Optional.ofNullable(column), Optional.ofNullable(t), w, 0, "");
  }

  static final FeatureView TRIPS =
      view(
          List.of(
              of("trips_1h", AggregationFunction.COUNT, null, null, Duration.ofHours(1)),
              of(
                  "fare_sum_24h",
                  AggregationFunction.SUM,
                  "fare",
                  ValueType.FLOAT64,
                  Duration.ofHours(24)),
              of(
                  "fare_avg_7d",
                  AggregationFunction.AVG,
                  "fare",
                  ValueType.FLOAT64,
                  Duration.ofDays(7)),
              of(
                  "fare_max_24h",
                  AggregationFunction.MAX,
                  "fare",
                  ValueType.FLOAT64,
                  Duration.ofHours(24)),
              of(
                  "fare_min_1h",
                  AggregationFunction.MIN,
                  "fare",
                  ValueType.FLOAT64,
                  Duration.ofHours(1)),
              of(
                  "fare_std_7d",
                  AggregationFunction.STDDEV,
                  "fare",
                  ValueType.FLOAT64,
                  Duration.ofDays(7)),
              of(
                  "fare_last_24h",
                  AggregationFunction.LAST,
                  "fare",
                  ValueType.FLOAT64,
                  Duration.ofHours(24)),
              new Aggregation(
                  "fares_last3_7d",
                  AggregationFunction.LAST_N,
                  Optional.of("fare"),
                  Optional.of(ValueType.FLOAT64),
                  Duration.ofDays(7),
                  3,
                  ""),
              of(
                  "riders_7d",
                  AggregationFunction.APPROX_COUNT_DISTINCT,
                  "rider_id",
                  ValueType.INT64,
                  Duration.ofDays(7)),
              of(
                  "fares_1h",
                  AggregationFunction.COUNT,
                  "fare",
                  ValueType.FLOAT64,
                  Duration.ofHours(1)),
              of(
                  "rider_sum_24h",
                  AggregationFunction.SUM,
                  "rider_id",
                  ValueType.INT64,
                  Duration.ofHours(24))));

  static Event event(long micros, Double fare, Long rider) {
    Map<String, Object> values = new HashMap<>();
    values.put("fare", fare);
    values.put("rider_id", rider);
    return new Event(micros, Tile.NO_CREATED, values);
  }

  static SortedMap<Long, Tile> tiles(TileLayout layout, List<Event> events) {
    SortedMap<Long, Tile> tiles = new TreeMap<>();
    for (Event e : events) {
      Object[] values = new Object[layout.columns().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = e.values().get(layout.columns().get(i));
      }
      tiles
          .computeIfAbsent(
              Windows.tileOf(e.eventMicros(), layout.intervalMicros()), t -> new Tile(layout))
          .add(e.eventMicros(), e.createdMicros(), values);
    }
    return tiles;
  }

  static SortedMap<Long, Tile> roundTrip(TileLayout layout, SortedMap<Long, Tile> tiles) {
    SortedMap<Long, Tile> decoded = new TreeMap<>();
    tiles.forEach((k, v) -> decoded.put(k, TileCodec.decode(layout, TileCodec.encode(v, 42L))));
    return decoded;
  }

  @Test
  void countsTheWindowEdgesExactly() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY + 5 * HOUR + 30 * 60_000_000L; // 05:30
    long start1h = 100 * DAY + 4 * HOUR; // floor_H(t) - 1h
    List<Event> events =
        List.of(
            event(t, 10.0, 1L), // exactly at t: counted
            event(t + 1, 99.0, 9L), // after t: never added (the caller's guarantee), see below
            event(start1h, 3.0, 2L), // exactly at floor_H(t) - W: counted
            event(start1h - 1, 50.0, 3L)); // one microsecond before: not in the 1h window
    List<Event> upToT = events.stream().filter(e -> e.eventMicros() <= t).toList();
    WindowValues values = WindowValues.asOf(layout, t, tiles(layout, upToT));
    assertThat(values.values().get(0)).isEqualTo(2L); // trips_1h
    assertThat(values.values().get(4)).isEqualTo(3.0); // fare_min_1h
    assertThat(values.values().get(9)).isEqualTo(2L); // fares_1h
    assertThat(values.values().get(1)).isEqualTo(63.0); // fare_sum_24h: all three
    assertThat(values.values().get(3)).isEqualTo(50.0);
    assertThat(values.values().get(6)).isEqualTo(10.0); // last
    assertThat(values.values().get(7)).isEqualTo(List.of(10.0, 3.0, 50.0));
    assertThat(values.values().get(8)).isEqualTo(3L);
    assertThat(values.values().get(10)).isEqualTo(6L);
    assertThat(values.newestEventMicros()[0]).isEqualTo(t);
    assertThat(values.values()).isEqualTo(ReferenceWindows.valuesAsOf(TRIPS, upToT, t));
  }

  @Test
  void emptyWindowsGiveZeroCountsAndNulls() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY;
    List<Event> old = List.of(event(t - 8 * DAY, 5.0, 1L));
    WindowValues values = WindowValues.asOf(layout, t, tiles(layout, old));
    assertThat(values.values())
        .containsExactly(0L, null, null, null, null, null, null, null, 0L, 0L, null);
    assertThat(values.newestEventMicros()[2]).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void nullValuesCountAsRowsOnly() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY + HOUR / 2;
    List<Event> events = List.of(event(t - 10, null, null), event(t - 5, 4.0, null));
    WindowValues values = WindowValues.asOf(layout, t, tiles(layout, events));
    assertThat(values.values().get(0)).isEqualTo(2L);
    assertThat(values.values().get(9)).isEqualTo(1L);
    assertThat(values.values().get(5)).isNull(); // one value: no sample stddev
    assertThat(values.values().get(8)).isEqualTo(0L);
  }

  @Test
  void latestTiesGoToTheCreatedTimeThenTheGreatestValue() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY + HOUR / 2;
    Object[] low = {1.0, 1L};
    Object[] high = {2.0, 1L};
    Tile tile = new Tile(layout);
    tile.add(t, 5, high);
    tile.add(t, 7, low);
    tile.add(t - 1, 9, new Object[] {3.0, 1L});
    SortedMap<Long, Tile> tiles = new TreeMap<>(Map.of(Windows.tileOf(t, HOUR), tile));
    assertThat(WindowValues.asOf(layout, t, tiles).values().get(7))
        .isEqualTo(List.of(1.0, 2.0, 3.0));
    Tile same = new Tile(layout);
    same.add(t, 5, high);
    same.add(t, 5, low);
    tiles.put(Windows.tileOf(t, HOUR), same);
    assertThat(WindowValues.asOf(layout, t, tiles).values().get(6)).isEqualTo(2.0);
  }

  @Test
  void nonFiniteValuesGiveTheirIeeeSumInAnyOrder() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY + HOUR / 2;
    List<Event> infinite =
        List.of(
            event(t - 10, Double.POSITIVE_INFINITY, 1L),
            event(t - 5, 4.0, 2L),
            event(t - 3, 6.0, 3L));
    List<Object> values = WindowValues.asOf(layout, t, tiles(layout, infinite)).values();
    assertThat(values.get(1)).isEqualTo(Double.POSITIVE_INFINITY); // sum
    assertThat(values.get(2)).isEqualTo(Double.POSITIVE_INFINITY); // avg
    assertThat((Double) values.get(5)).isNaN(); // stddev
    assertThat(values.get(3)).isEqualTo(Double.POSITIVE_INFINITY); // max
    assertThat(values.get(4)).isEqualTo(4.0); // min
    assertThat(values.get(9)).isEqualTo(3L); // non-null count
    List<Event> opposite = new ArrayList<>(infinite);
    opposite.add(event(t - 2, Double.NEGATIVE_INFINITY, 4L));
    assertThat((Double) WindowValues.asOf(layout, t, tiles(layout, opposite)).values().get(1))
        .isNaN();
    List<Event> nan = new ArrayList<>(infinite);
    nan.add(event(t - 1, Double.NaN, 5L));
    WindowValues first = WindowValues.asOf(layout, t, tiles(layout, nan));
    Collections.reverse(nan);
    assertThat(WindowValues.asOf(layout, t, tiles(layout, nan))).isEqualTo(first);
    SortedMap<Long, Tile> decoded = roundTrip(layout, tiles(layout, nan));
    assertThat((Double) WindowValues.asOf(layout, t, decoded).values().get(1)).isNaN();
  }

  @Test
  void aTileFoldedThenAddedToGivesItsNewValues() {
    TileLayout layout = TileLayout.of(TRIPS);
    long t = 100 * DAY + HOUR / 2;
    Tile tile = new Tile(layout);
    tile.add(t - 10, Tile.NO_CREATED, new Object[] {2.0, 1L});
    tile.add(t - 9, Tile.NO_CREATED, new Object[] {4.0, 1L});
    SortedMap<Long, Tile> tiles = new TreeMap<>(Map.of(Windows.tileOf(t, HOUR), tile));
    assertThat(WindowValues.asOf(layout, t, tiles).values().get(1)).isEqualTo(6.0);
    assertThat((Double) WindowValues.asOf(layout, t, tiles).values().get(5))
        .isCloseTo(Math.sqrt(2.0), within(1e-15));
    tile.add(t - 8, Tile.NO_CREATED, new Object[] {9.0, 1L});
    List<Object> values = WindowValues.asOf(layout, t, tiles).values();
    assertThat(values.get(1)).isEqualTo(15.0);
    assertThat((Double) values.get(5)).isCloseTo(Math.sqrt(13.0), within(1e-15)); // mean 5
    Tile decoded = TileCodec.decode(layout, TileCodec.encode(tile, 1L));
    assertThatThrownBy(() -> decoded.add(t, Tile.NO_CREATED, new Object[] {1.0, 1L}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read-only");
  }

  @Test
  void aTruncatedTileIsRefusedNamingWhatIsWrong() {
    TileLayout layout = TileLayout.of(TRIPS);
    Tile tile = new Tile(layout);
    tile.add(100 * DAY, Tile.NO_CREATED, new Object[] {2.0, 1L});
    byte[] value = TileCodec.encode(tile, 1L);
    byte[] truncated = java.util.Arrays.copyOf(value, value.length - 3);
    assertThatThrownBy(() -> TileCodec.decode(layout, truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    value[8] = 9;
    assertThatThrownBy(() -> TileCodec.decode(layout, value))
        .hasMessageContaining("format version 9, expected 1");
  }

  @Test
  void negativeTimesUseTheFloorOfTheInterval() {
    assertThat(Windows.tileOf(-1, HOUR)).isEqualTo(-1);
    assertThat(Windows.windowStart(-1, HOUR, HOUR)).isEqualTo(-2 * HOUR);
  }

  @Test
  void tilesDoNotDependOnTheOrderOfTheirEvents() {
    TileLayout layout = TileLayout.of(TRIPS);
    Random random = new Random(7);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      events.add(event(100 * DAY + random.nextInt(1000), random.nextDouble() * 1000, null));
    }
    byte[] first = TileCodec.encode(tiles(layout, events).get(100 * 24L), 1L);
    Collections.shuffle(events, random);
    byte[] second = TileCodec.encode(tiles(layout, events).get(100 * 24L), 1L);
    assertThat(second).isEqualTo(first);
    // With distinct counts: a sketch's bytes keep the order of its first values (DataSketches'
    // coupon list), but its estimate in a window does not, in list, set and HLL mode alike.
    for (int riders : new int[] {5, 500, 20_000}) {
      List<Event> withRiders = new ArrayList<>();
      for (int i = 0; i < 30_000; i++) {
        withRiders.add(
            event(
                100 * DAY + random.nextInt(1000),
                random.nextDouble(),
                (long) random.nextInt(riders)));
      }
      long t = 100 * DAY + 1000;
      WindowValues ordered = WindowValues.asOf(layout, t, tiles(layout, withRiders));
      Collections.shuffle(withRiders, random);
      assertThat(WindowValues.asOf(layout, t, roundTrip(layout, tiles(layout, withRiders))))
          .isEqualTo(ordered);
    }
  }

  @Test
  void decodedTilesGiveTheSameValuesToTheBit() {
    TileLayout layout = TileLayout.of(TRIPS);
    Random random = new Random(11);
    List<Event> events = randomEvents(random, 500);
    SortedMap<Long, Tile> tiles = tiles(layout, events);
    for (long t = 100 * DAY; t < 110 * DAY; t += 7 * HOUR + 13) {
      long asOf = t;
      SortedMap<Long, Tile> upTo =
          tiles(layout, events.stream().filter(e -> e.eventMicros() <= asOf).toList());
      assertThat(WindowValues.asOf(layout, t, roundTrip(layout, upTo)))
          .isEqualTo(WindowValues.asOf(layout, t, upTo));
    }
    assertThat(TileCodec.through(TileCodec.encode(tiles.get(tiles.firstKey()), 42L)))
        .isEqualTo(42L);
  }

  @Test
  void agreesWithThePlainReference() {
    TileLayout layout = TileLayout.of(TRIPS);
    for (int seed = 0; seed < 40; seed++) {
      Random random = new Random(seed);
      List<Event> events = randomEvents(random, 1 + random.nextInt(300));
      for (int k = 0; k < 20; k++) {
        long t = 100 * DAY + (long) (random.nextDouble() * 12 * DAY);
        List<Event> upToT = events.stream().filter(e -> e.eventMicros() <= t).toList();
        List<Object> expected = ReferenceWindows.valuesAsOf(TRIPS, upToT, t);
        WindowValues actual = WindowValues.asOf(layout, t, tiles(layout, upToT));
        for (int i = 0; i < expected.size(); i++) {
          Object e = expected.get(i);
          Object a = actual.values().get(i);
          if (e instanceof Double d) {
            assertThat((Double) a)
                .as("seed %d aggregation %d", seed, i)
                .isCloseTo(d, within(1e-9 * Math.max(1, Math.abs(d))));
          } else if (i == 8) {
            assertThat((Long) a).isCloseTo((Long) e, within(Math.max(1L, (Long) e * 3 / 100)));
          } else {
            assertThat(a).as("seed %d aggregation %d", seed, i).isEqualTo(e);
          }
        }
        assertThat(actual.newestEventMicros()[1])
            .isEqualTo(ReferenceWindows.newestEventsAsOf(TRIPS, upToT, t).get(1));
      }
    }
  }

  @Test
  void decodesTilesWrittenBeforeAnAggregationWasAdded() {
    FeatureView before =
        view(
            List.of(
                of(
                    "fare_sum_24h",
                    AggregationFunction.SUM,
                    "fare",
                    ValueType.FLOAT64,
                    Duration.ofHours(24))));
    TileLayout old = TileLayout.of(before);
    Tile tile = new Tile(old);
    tile.add(100 * DAY, Tile.NO_CREATED, new Object[] {2.5});
    TileLayout now = TileLayout.of(TRIPS);
    Tile decoded = TileCodec.decode(now, TileCodec.encode(tile, 1L));
    WindowValues values =
        WindowValues.asOf(now, 100 * DAY, new TreeMap<>(Map.of(100 * 24L, decoded)));
    assertThat(values.values().get(1)).isEqualTo(2.5);
    assertThat(values.values().get(0)).isEqualTo(1L);
    assertThat(values.values().get(8)).isEqualTo(0L); // rider_id was not in the old tiles
  }

  private static List<Event> randomEvents(Random random, int count) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long micros = 100 * DAY + (long) (random.nextDouble() * 10 * DAY);
      if (random.nextInt(10) == 0 && !events.isEmpty()) {
        micros = events.get(random.nextInt(events.size())).eventMicros();
      }
      Double fare =
          random.nextInt(8) == 0 ? null : Math.round(random.nextDouble() * 100000) / 100.0;
      Long rider = random.nextInt(8) == 0 ? null : (long) random.nextInt(40);
      events.add(event(micros, fare, rider));
    }
    return events;
  }
}
