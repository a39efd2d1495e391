/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static dev.featurestore.offline.Aggregates.aggregatedView;
import static dev.featurestore.offline.Aggregates.aggregation;
import static dev.featurestore.offline.Aggregates.count;
import static dev.featurestore.offline.Aggregates.lastN;
import static dev.featurestore.offline.TestData.field;
import static dev.featurestore.offline.TestData.schema;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.WindowValues;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the training-set values of an aggregated view with a plain-Java reference over the raw
 * events (the window rule {@link Windows#covers}, then each function over the covered events), on
 * random data dense in window edges (times on a grid of a quarter interval, ±1 µs), equal
 * timestamps, nulls and keys without events. Each run packs {@value #SEEDS_PER_RUN} seeds into
 * disjoint key ranges, so 5 runs cover 50 seeds with one Spark job each.
 */
class RandomizedAggregationsIT {
  private static final int SEEDS_PER_RUN = 10;
  private static final Instant BASE = Instant.parse("2024-03-10T00:00:00Z");
  private static final Duration H = Duration.ofMinutes(10);
  private static final long H_MICROS = Windows.micros(H);

  /** An event; {@code created} and the values may be null. */
  record Event(Long key, long ts, Long created, Double fare, Long distance, String rider) {}

  /** An entity row; {@code id} repeats for duplicated rows. */
  record EntityRow(long id, Long key, Long ts) {}

  @TempDir Path dir;

  private static final List<Aggregation> AGGREGATIONS =
      List.of(
          count("trips", H),
          count("trips_3h", H.multipliedBy(3)),
          aggregation("fares", AggregationFunction.COUNT, "fare", ValueType.FLOAT64, H),
          aggregation(
              "fare_sum", AggregationFunction.SUM, "fare", ValueType.FLOAT64, H.multipliedBy(3)),
          aggregation(
              "distance_sum",
              AggregationFunction.SUM,
              "distance",
              ValueType.INT64,
              H.multipliedBy(2)),
          aggregation(
              "fare_avg", AggregationFunction.AVG, "fare", ValueType.FLOAT64, H.multipliedBy(2)),
          aggregation("fare_min", AggregationFunction.MIN, "fare", ValueType.FLOAT64, H),
          aggregation(
              "distance_max",
              AggregationFunction.MAX,
              "distance",
              ValueType.INT64,
              H.multipliedBy(3)),
          aggregation(
              "fare_std", AggregationFunction.STDDEV, "fare", ValueType.FLOAT64, H.multipliedBy(3)),
          aggregation(
              "fare_last", AggregationFunction.LAST, "fare", ValueType.FLOAT64, H.multipliedBy(2)),
          lastN("fares_last2", "fare", ValueType.FLOAT64, 2, H.multipliedBy(3)),
          aggregation(
              "riders",
              AggregationFunction.APPROX_COUNT_DISTINCT,
              "rider",
              ValueType.STRING,
              H.multipliedBy(3)));

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void matchesThePlainJavaReference(long run) {
    List<Event> events = new ArrayList<>();
    List<EntityRow> entities = new ArrayList<>();
    for (int seed = 0; seed < SEEDS_PER_RUN; seed++) {
      generate(new Random(run * 1000 + seed), seed * 100L, events, entities);
    }
    writeEvents(events);
    FeatureView view =
        aggregatedView(
            "trips", List.of("driver"), "trips_src", H, AGGREGATIONS.toArray(Aggregation[]::new));
    Definitions definitions =
        new Definitions(
            "random",
            List.of(entity("driver", key("driver_id", ValueType.INT64))),
            List.of(source("trips_src", "trips.parquet", "created")),
            List.of(view),
            List.of());
    HistoricalFeatures features =
        HistoricalFeatures.of(SparkTestSession.get(), definitions, p -> dir.resolve(p).toUri());
    StructType entitySchema =
        schema(
            field("id", DataTypes.LongType),
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType));
    List<Row> entityRows =
        entities.stream()
            .map(e -> RowFactory.create(e.id(), e.key(), e.ts() == null ? null : timestamp(e.ts())))
            .toList();
    List<Row> result =
        features
            .historicalFeatures(
                SparkTestSession.get().createDataFrame(entityRows, entitySchema),
                List.of("trips:*"),
                TrainingSetOptions.defaults())
            .collectAsList();
    assertThat(result).hasSize(entities.size());

    Map<Long, List<Event>> byKey = new HashMap<>();
    for (Event e : events) {
      if (e.key() != null) {
        byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
      }
    }
    Map<Long, EntityRow> entityById = new HashMap<>();
    entities.forEach(e -> entityById.put(e.id(), e));
    int checked = 0;
    for (Row row : result) {
      EntityRow entity = entityById.get(row.<Long>getAs("id"));
      List<Event> keyEvents =
          entity.key() == null || entity.ts() == null
              ? List.of()
              : byKey.getOrDefault(entity.key(), List.of());
      List<Object> online = onlineValues(view, keyEvents, entity.ts());
      for (Aggregation aggregation : AGGREGATIONS) {
        Object expected = reference(aggregation, keyEvents, entity.ts());
        Object actual = row.get(row.fieldIndex(aggregation.name()));
        if (actual instanceof scala.collection.Seq<?> seq) {
          actual = List.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(seq));
        }
        String what = aggregation.name() + " of " + entity;
        // Offline and online agree to the bit: the online computation (tiles through their Redis
        // bytes, folded as of t) gives equal values, doubles compared by their bits (equals).
        assertThat(actual)
            .as("offline = online: " + what)
            .isEqualTo(online.get(AGGREGATIONS.indexOf(aggregation)));
        switch (aggregation.function()) {
          case SUM, AVG, STDDEV -> {
            if (expected == null || aggregation.outputType() == ValueType.INT64) {
              assertThat(actual).as(what).isEqualTo(expected);
            } else {
              assertThat((Double) actual)
                  .as(what)
                  .isCloseTo((Double) expected, org.assertj.core.data.Offset.offset(1e-9));
            }
          }
          case APPROX_COUNT_DISTINCT ->
              assertThat((Long) actual)
                  .as(what)
                  .isBetween(
                      (long) ((Long) expected * 0.98), (long) Math.ceil((Long) expected * 1.02));
          default -> assertThat(actual).as(what).isEqualTo(expected);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(entities.size() * AGGREGATIONS.size());
  }

  /**
   * What the online service computes as of {@code t} from tiles of the same events: one tile per
   * interval, encoded and decoded as Redis holds them, folded by {@link WindowValues#asOf}. Only
   * events up to {@code t} exist when the lookup runs at {@code t}. An entity row without a key or
   * time reads as an entity without tiles: counts 0, nulls.
   */
  private static List<Object> onlineValues(FeatureView view, List<Event> events, Long t) {
    TileLayout layout = TileLayout.of(view);
    SortedMap<Long, Tile> tiles = new TreeMap<>();
    long asOf = t == null ? 0 : t;
    for (Event e : events) {
      if (e.ts() <= asOf) {
        Object[] values = layout.columns().stream().map(column -> value(e, column)).toArray();
        tiles
            .computeIfAbsent(Windows.tileOf(e.ts(), H_MICROS), k -> new Tile(layout))
            .add(e.ts(), e.created() == null ? Tile.NO_CREATED : e.created(), values);
      }
    }
    SortedMap<Long, Tile> stored = new TreeMap<>();
    tiles.forEach(
        (k, tile) -> stored.put(k, TileCodec.decode(layout, TileCodec.encode(tile, asOf))));
    return WindowValues.asOf(layout, asOf, stored).values();
  }

  /** The value of an aggregation as of {@code t} over a key's raw events, by the contract. */
  private static Object reference(Aggregation aggregation, List<Event> events, Long t) {
    long window = Windows.micros(aggregation.window());
    List<Event> covered =
        t == null
            ? List.of()
            : events.stream().filter(e -> Windows.covers(e.ts(), t, window, H_MICROS)).toList();
    String column = aggregation.column().orElse("");
    List<Event> valued = covered.stream().filter(e -> value(e, column) != null).toList();
    List<Double> numbers =
        valued.stream()
            .filter(e -> value(e, column) instanceof Number)
            .map(e -> ((Number) value(e, column)).doubleValue())
            .toList();
    // Newest first: event time, then created time (none is oldest), then the greatest value.
    Comparator<Event> newest =
        Comparator.comparingLong(Event::ts)
            .thenComparing(Event::created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(
                e -> (Double) value(e, column), Comparator.nullsFirst(Comparator.naturalOrder()))
            .reversed();
    return switch (aggregation.function()) {
      case COUNT -> (long) (aggregation.column().isEmpty() ? covered.size() : valued.size());
      case APPROX_COUNT_DISTINCT -> valued.stream().map(e -> value(e, column)).distinct().count();
      case SUM ->
          valued.isEmpty()
              ? null
              : column.equals("distance")
                  ? (Object) valued.stream().mapToLong(Event::distance).sum()
                  : (Object) numbers.stream().mapToDouble(Double::doubleValue).sum();
      case AVG ->
          valued.isEmpty()
              ? null
              : numbers.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      case STDDEV -> {
        if (numbers.size() < 2) {
          yield null;
        }
        double mean = numbers.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double squares = numbers.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        yield Math.sqrt(squares / (numbers.size() - 1));
      }
      case MIN ->
          valued.stream().map(e -> (Double) value(e, column)).min(Double::compare).orElse(null);
      case MAX -> valued.stream().map(e -> (Long) value(e, column)).max(Long::compare).orElse(null);
      case LAST ->
          valued.stream().sorted(newest).map(e -> value(e, column)).findFirst().orElse(null);
      case LAST_N ->
          valued.isEmpty()
              ? null
              : valued.stream()
                  .sorted(newest)
                  .limit(aggregation.n())
                  .map(e -> value(e, column))
                  .toList();
    };
  }

  private static Object value(Event event, String column) {
    return switch (column) {
      case "fare" -> event.fare();
      case "distance" -> event.distance();
      case "rider" -> event.rider();
      default -> null;
    };
  }

  private static void generate(
      Random random, long keyBase, List<Event> events, List<EntityRow> entities) {
    int keys = 1 + random.nextInt(4);
    long quarter = H_MICROS / 4;
    long start = Windows.micros(Duration.between(Instant.EPOCH, BASE));
    int eventCount = random.nextInt(60);
    for (int i = 0; i < eventCount; i++) {
      Long key = random.nextInt(20) == 0 ? null : keyBase + random.nextInt(keys);
      long ts = start + random.nextInt(24) * quarter + (random.nextInt(3) - 1);
      Long created = random.nextInt(3) == 0 ? null : ts + random.nextInt(3);
      Double fare = random.nextInt(5) == 0 ? null : (double) random.nextInt(8) / 4;
      Long distance = random.nextInt(5) == 0 ? null : (long) random.nextInt(100);
      String rider = random.nextInt(5) == 0 ? null : "r" + random.nextInt(6);
      Event event = new Event(key, ts, created, fare, distance, rider);
      events.add(event);
      if (random.nextInt(10) == 0) {
        events.add(event); // an exact duplicate counts twice
      }
    }
    int rows = 1 + random.nextInt(20);
    for (int i = 0; i < rows; i++) {
      long id = keyBase * 1000 + entities.size();
      Long key = random.nextInt(15) == 0 ? null : keyBase + random.nextInt(keys + 1);
      Long ts =
          random.nextInt(20) == 0
              ? null
              : start + random.nextInt(28) * quarter + (random.nextInt(3) - 1);
      entities.add(new EntityRow(id, key, ts));
    }
  }

  private void writeEvents(List<Event> events) {
    StructType schema =
        schema(
            field("driver_id", DataTypes.LongType),
            field("event_timestamp", DataTypes.TimestampType),
            field("created", DataTypes.TimestampType),
            field("fare", DataTypes.DoubleType),
            field("distance", DataTypes.LongType),
            field("rider", DataTypes.StringType));
    List<Row> rows =
        events.stream()
            .map(
                e ->
                    RowFactory.create(
                        e.key(),
                        timestamp(e.ts()),
                        e.created() == null ? null : timestamp(e.created()),
                        e.fare(),
                        e.distance(),
                        e.rider()))
            .toList();
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .repartition(3)
        .write()
        .parquet(dir.resolve("trips.parquet").toString());
  }

  private static Timestamp timestamp(long micros) {
    Timestamp ts = new Timestamp(Math.floorDiv(micros, 1000));
    ts.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
    return Objects.requireNonNull(ts);
  }
}
