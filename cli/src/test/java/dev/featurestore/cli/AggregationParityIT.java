/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static dev.featurestore.cli.ParityEvents.floor;
import static dev.featurestore.registry.testing.TestDefinitions.aggregation;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.aggregation.testing.ReferenceWindows;
import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.materializer.Materializer;
import dev.featurestore.materializer.MaterializerOptions;
import dev.featurestore.offline.HistoricalFeatures;
import dev.featurestore.offline.TrainingSetOptions;
import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.store.LettuceOnlineStoreReader;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import dev.featurestore.spark.testing.SparkTestSession;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offline and online give the same values, to the bit, for aggregated views, through the real
 * parts: random events in Parquet (dense in window edges, see {@link ParityEvents}); {@link
 * Materializer} writing tiles to a private Redis, once over the whole range and, into a second
 * private Redis, in two incremental runs over the same range; {@link OnlineFeatureService} looking
 * them up with its clock fixed at request instants at and after the materialization's end; {@link
 * HistoricalFeatures} computing the same instants from the events up to that end. Both are also
 * compared with the plain reference {@link ReferenceWindows} (floats within 1e-9, distinct counts
 * within 2%). An int64-keyed view and a view on a composite string + int32 key, the nine functions
 * over windows of 1h, 3h and 24h on a 1h interval.
 */
class AggregationParityIT {
  private static final long H = Windows.micros(Duration.ofHours(1));
  private static final long MINUTE = Windows.micros(Duration.ofMinutes(1));
  private static final List<Duration> WINDOWS =
      List.of(Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(24));

  /**
   * Tomorrow: a key expires its longest window + H after its newest tile's end (in real time), so
   * tiles of past days would be gone before they are read.
   */
  private static final long BASE =
      Windows.micros(
          LocalDate.now(ZoneOffset.UTC).plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());

  /**
   * The materialization's end after {@code BASE + 30h}, by seed: on an interval boundary, 1 µs
   * after one, mid-interval, 1 µs before the next.
   */
  private static final long[] END_OFFSETS = {0, 1, 15 * MINUTE, H - 1};

  private static final StructType DRIVER_KEYS =
      new StructType().add("driver_id", DataTypes.LongType);
  private static final StructType ROUTE_KEYS =
      new StructType().add("city", DataTypes.StringType).add("zone", DataTypes.IntegerType);

  static final List<Aggregation> AGGREGATIONS =
      List.of(
          count("trips_1h", 1),
          count("trips_24h", 24),
          aggregation("fares_3h", AggregationFunction.COUNT, "fare", ValueType.FLOAT64, hours(3)),
          aggregation(
              "fare_sum_24h", AggregationFunction.SUM, "fare", ValueType.FLOAT64, hours(24)),
          aggregation(
              "distance_sum_3h", AggregationFunction.SUM, "distance", ValueType.INT64, hours(3)),
          aggregation("fare_avg_3h", AggregationFunction.AVG, "fare", ValueType.FLOAT64, hours(3)),
          aggregation(
              "distance_avg_24h", AggregationFunction.AVG, "distance", ValueType.INT64, hours(24)),
          aggregation("fare_min_1h", AggregationFunction.MIN, "fare", ValueType.FLOAT64, hours(1)),
          aggregation(
              "fare_max_24h", AggregationFunction.MAX, "fare", ValueType.FLOAT64, hours(24)),
          aggregation("rider_max_3h", AggregationFunction.MAX, "rider", ValueType.STRING, hours(3)),
          aggregation(
              "fare_std_24h", AggregationFunction.STDDEV, "fare", ValueType.FLOAT64, hours(24)),
          aggregation(
              "distance_std_3h", AggregationFunction.STDDEV, "distance", ValueType.INT64, hours(3)),
          aggregation(
              "fare_last_3h", AggregationFunction.LAST, "fare", ValueType.FLOAT64, hours(3)),
          aggregation(
              "rider_last_1h", AggregationFunction.LAST, "rider", ValueType.STRING, hours(1)),
          lastN("fares_last3_24h", "fare", ValueType.FLOAT64, 3, 24),
          lastN("distances_last2_1h", "distance", ValueType.INT64, 2, 1),
          aggregation(
              "riders_24h",
              AggregationFunction.APPROX_COUNT_DISTINCT,
              "rider",
              ValueType.STRING,
              hours(24)),
          aggregation(
              "distances_3h",
              AggregationFunction.APPROX_COUNT_DISTINCT,
              "distance",
              ValueType.INT64,
              hours(3)));

  private static RedisServerProcess oneRunRedis;
  private static RedisServerProcess incrementalRedis;

  @TempDir Path dir;

  @BeforeAll
  static void startRedis() {
    oneRunRedis = RedisFixture.startPrivate();
    incrementalRedis = RedisFixture.startPrivate();
  }

  @AfterAll
  static void stopRedis() {
    oneRunRedis.close();
    incrementalRedis.close();
  }

  private static Duration hours(int hours) {
    return Duration.ofHours(hours);
  }

  private static Aggregation count(String name, int hours) {
    return new Aggregation(
        name, AggregationFunction.COUNT, Optional.empty(), Optional.empty(), hours(hours), 0, "");
  }

  private static Aggregation lastN(String name, String column, ValueType type, int n, int hours) {
    return new Aggregation(
        name,
        AggregationFunction.LAST_N,
        Optional.of(column),
        Optional.of(type),
        hours(hours),
        n,
        "");
  }

  static FeatureView aggregatedView(String name, String entity, String source) {
    return new FeatureView(
        name,
        List.of(entity),
        source,
        Duration.ZERO,
        true,
        List.of(),
        Map.of(),
        "",
        Optional.empty(),
        Optional.of(new Aggregations(Duration.ofHours(1), AGGREGATIONS)));
  }

  /** One view's side of a seed: its keys (in lookup order), events and key schema. */
  private record Side(
      FeatureView view,
      StructType keySchema,
      List<JoinKey> joinKeys,
      List<List<Object>> keys,
      List<ParityEvents.Event> events) {}

  /** What one lookup or comparison run saw, to show the statuses were all exercised. */
  private final Map<FieldStatus, Integer> seen = new EnumMap<>(FieldStatus.class);

  private int nullValuesWithEvents;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void offlineAndOnlineAgreeToTheBit(long seed) throws Exception {
    Random random = new Random(seed);
    long end = BASE + 30 * H + END_OFFSETS[(int) (seed % END_OFFSETS.length)];
    long firstEnd =
        end - 50 * MINUTE; // the first incremental run's end: the same or the previous tile
    long materializedFrom = floor(firstEnd, H) - 24 * H;
    List<Long> instants =
        List.of(
            end,
            end + 1,
            end + 30 * MINUTE,
            end + H,
            end + 2 * H,
            end + 3 * H,
            end + 24 * H,
            end + 25 * H,
            end + 26 * H);
    List<Long> edges = new ArrayList<>(List.of(end, firstEnd, materializedFrom));
    for (long t : instants) {
      for (Duration w : WINDOWS) {
        edges.add(floor(t, H) - Windows.micros(w));
      }
    }
    ParityEvents generator = new ParityEvents(random, edges, materializedFrom - 2 * H, end + 2 * H);

    List<ParityEvents.Event> trips = new ArrayList<>();
    List<List<Object>> drivers = new ArrayList<>();
    for (long id : new long[] {1, 2, 3, 4, 5, -6}) {
      drivers.add(List.of(id));
      generator.addKey(List.of(id), 40, trips);
    }
    drivers.add(List.of(900L)); // no event at all
    drivers.add(List.of(901L)); // events after the end only
    trips.add(generator.at(List.of(901L), end + 1));
    trips.add(generator.at(List.of(901L), end + 2 * H));
    drivers.add(List.of(902L)); // one event 1 µs before the materialized range
    trips.add(generator.at(List.of(902L), materializedFrom - 1));
    if (floor(firstEnd, H) < floor(end, H)) {
      // Materialized but outside every window from the end on: tiles stored, counts 0.
      drivers.add(List.of(903L));
      trips.add(generator.at(List.of(903L), materializedFrom));
      trips.add(generator.at(List.of(903L), floor(end, H) - 24 * H - 1));
    }
    trips.add(generator.at(null, end - 10));
    trips.add(generator.at(null, end));

    List<ParityEvents.Event> routes = new ArrayList<>();
    List<List<Object>> routeKeys = new ArrayList<>();
    for (List<Object> route :
        List.<List<Object>>of(
            List.of("sf", 1), List.of("sf", 2), List.of("la", 1), List.of("são paulo", -7))) {
      routeKeys.add(route);
      generator.addKey(route, 40, routes);
    }
    routeKeys.add(List.of("ny", 0)); // no event
    routeKeys.add(List.of("la", 2)); // after the end only
    routes.add(generator.at(List.of("la", 2), end + 1));
    routes.add(generator.at(Arrays.asList(null, 1), end - 1));

    ParityEvents.write(
        dir.resolve("trips"), ParityEvents.schema(DRIVER_KEYS), trips, Long.MAX_VALUE);
    ParityEvents.write(
        dir.resolve("trips-through-end"), ParityEvents.schema(DRIVER_KEYS), trips, end);
    ParityEvents.write(
        dir.resolve("routes"), ParityEvents.schema(ROUTE_KEYS), routes, Long.MAX_VALUE);
    ParityEvents.write(
        dir.resolve("routes-through-end"), ParityEvents.schema(ROUTE_KEYS), routes, end);

    Definitions definitions =
        new Definitions(
            TestDefinitions.uniqueProject(),
            List.of(
                entity("driver", key("driver_id", ValueType.INT64)),
                entity("route", key("city", ValueType.STRING), key("zone", ValueType.INT32))),
            List.of(
                source("trips_src", dir.resolve("trips").toString(), "created"),
                source("route_src", dir.resolve("routes").toString(), "created")),
            List.of(
                aggregatedView("driver_trips", "driver", "trips_src"),
                aggregatedView("route_trips", "route", "route_src")),
            List.of());
    FeatureRepo oneRun =
        TestRepos.create(dir.resolve("one-run"), definitions, oneRunRedis.uri(), Optional.empty());
    FeatureRepo incremental =
        TestRepos.create(
            dir.resolve("incremental"), definitions, incrementalRedis.uri(), Optional.empty());
    Definitions applied = oneRun.latestApplied("materialize").definitions();
    List<Side> sides =
        List.of(
            side(applied, "driver_trips", DRIVER_KEYS, drivers, trips),
            side(applied, "route_trips", ROUTE_KEYS, routeKeys, routes));

    materializer(applied, oneRunRedis)
        .materialize(List.of(), instant(firstEnd).minus(Duration.ofHours(24)), instant(end));
    Materializer runs =
        materializer(incremental.latestApplied("materialize").definitions(), incrementalRedis);
    runs.materializeIncremental(List.of(), instant(firstEnd), incremental.registry().watermarks());
    runs.materializeIncremental(List.of(), instant(end), incremental.registry().watermarks());
    assertThat(incremental.registry().watermarks().read("driver_trips")).contains(instant(end));

    for (Side side : sides) {
      compareTiles(applied, side, end, firstEnd, materializedFrom);
      Map<Integer, Row> offline = offline(applied, side, instants);
      for (FeatureRepo repo : List.of(oneRun, incremental)) {
        try (RegistryWatcher watcher =
                new RegistryWatcher(applied.project(), repo.registry(), Duration.ofHours(1));
            LettuceOnlineStoreReader reader =
                new LettuceOnlineStoreReader(
                    repo.config().redis().orElseThrow(), Duration.ofSeconds(10), 1)) {
          for (int i = 0; i < instants.size(); i++) {
            long t = instants.get(i);
            OnlineFeatureService service =
                new OnlineFeatureService(
                    watcher,
                    reader,
                    new OnlineMetrics(new SimpleMeterRegistry()),
                    Clock.fixed(instant(t), ZoneOffset.UTC),
                    1_000);
            GetOnlineFeaturesResponse response = lookup(service, side);
            for (int k = 0; k < side.keys().size(); k++) {
              String what =
                  "seed "
                      + seed
                      + ", "
                      + repo.root().getFileName()
                      + ", "
                      + side.view().name()
                      + " "
                      + side.keys().get(k)
                      + " as of "
                      + instant(t);
              compare(
                  what,
                  side,
                  k,
                  t,
                  end,
                  materializedFrom,
                  response,
                  offline.get(k * instants.size() + i));
            }
          }
        }
      }
    }
    assertThat(seen.keySet())
        .as("every status was exercised")
        .containsExactlyInAnyOrder(
            FieldStatus.PRESENT, FieldStatus.NULL_VALUE, FieldStatus.NOT_FOUND);
  }

  private static Side side(
      Definitions definitions,
      String name,
      StructType keySchema,
      List<List<Object>> keys,
      List<ParityEvents.Event> events) {
    FeatureView view = definitions.requireFeatureView(name);
    return new Side(view, keySchema, definitions.joinKeysOf(view), keys, events);
  }

  private static Materializer materializer(Definitions definitions, RedisServerProcess redis) {
    return new Materializer(
        SparkTestSession.get(),
        definitions,
        RedisConfig.standalone(redis.uri()),
        p -> p,
        MaterializerOptions.defaults(),
        null);
  }

  /**
   * One entity row per key and instant, row {@code key * instants + instant}, joined by the
   * training-set code over the events up to the materialization's end (what online knows).
   */
  private Map<Integer, Row> offline(Definitions definitions, Side side, List<Long> instants) {
    StructType schema =
        side.keySchema()
            .add("event_timestamp", DataTypes.TimestampType)
            .add("row", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < side.keys().size(); k++) {
      for (int i = 0; i < instants.size(); i++) {
        List<Object> values = new ArrayList<>(side.keys().get(k));
        values.add(ParityEvents.timestamp(instants.get(i)));
        values.add(k * instants.size() + i);
        rows.add(RowFactory.create(values.toArray()));
      }
    }
    HistoricalFeatures historical =
        HistoricalFeatures.of(
            SparkTestSession.get(), definitions, p -> Path.of(p + "-through-end").toUri());
    Map<Integer, Row> byRow = new HashMap<>();
    for (Row row :
        historical
            .historicalFeatures(
                SparkTestSession.get().createDataFrame(rows, schema),
                List.of(side.view().name() + ":*"),
                TrainingSetOptions.defaults())
            .collectAsList()) {
      byRow.put(row.getInt(row.fieldIndex("row")), row);
    }
    assertThat(byRow).hasSize(rows.size());
    return byRow;
  }

  private static GetOnlineFeaturesResponse lookup(OnlineFeatureService service, Side side) {
    List<JoinKey> joinKeys = side.joinKeys();
    Map<String, List<Object>> entities = new LinkedHashMap<>();
    for (int k = 0; k < joinKeys.size(); k++) {
      List<Object> column = new ArrayList<>();
      for (List<Object> key : side.keys()) {
        column.add(key.get(k));
      }
      entities.put(joinKeys.get(k).name(), column);
    }
    List<String> features =
        AGGREGATIONS.stream().map(a -> side.view().name() + ":" + a.name()).toList();
    return service
        .lookup(new GetOnlineFeaturesRequest(features, null, entities, true), VerifyOnline.DECODED)
        .join();
  }

  private void compare(
      String what,
      Side side,
      int k,
      long t,
      long end,
      long materializedFrom,
      GetOnlineFeaturesResponse response,
      Row offline) {
    List<ReferenceWindows.Event> known =
        side.events().stream()
            .filter(e -> side.keys().get(k).equals(e.key()) && e.ts() <= end)
            .map(ParityEvents.Event::reference)
            .toList();
    boolean stored = known.stream().anyMatch(e -> e.eventMicros() >= materializedFrom);
    List<Object> reference = ReferenceWindows.valuesAsOf(side.view(), known, t);
    List<Long> newest = ReferenceWindows.newestEventsAsOf(side.view(), known, t);
    int first = side.keySchema().size();
    for (int a = 0; a < AGGREGATIONS.size(); a++) {
      Aggregation aggregation = AGGREGATIONS.get(a);
      String of = aggregation.name() + " of " + what;
      GetOnlineFeaturesResponse.FeatureVector vector = response.results().get(first + a);
      Object online = vector.values().get(k);
      FieldStatus status = vector.statuses().get(k);
      Instant eventTimestamp = Instant.parse(vector.eventTimestamps().get(k));
      Object offlineValue = offlineValue(offline, aggregation);
      seen.merge(status, 1, Integer::sum);
      nearReference(of + " (offline vs reference)", aggregation, offlineValue, reference.get(a));
      if (!stored) {
        // Nothing stored for the entity: NOT_FOUND, no value (docs/online-api.md); offline counts
        // the window empty.
        assertThat(status).as(of).isEqualTo(FieldStatus.NOT_FOUND);
        assertThat(online).as(of).isNull();
        assertThat(eventTimestamp).as(of).isEqualTo(Instant.EPOCH);
        assertThat(offlineValue).as(of).isEqualTo(emptyWindow(aggregation));
        continue;
      }
      assertThat(online).as("online = offline: " + of).isEqualTo(offlineValue);
      assertThat(status)
          .as(of)
          .isEqualTo(
              aggregation.function().isCount() || online != null
                  ? FieldStatus.PRESENT
                  : FieldStatus.NULL_VALUE);
      // The newest event in the window, for a null value too (a window of null values, a stddev
      // of one value); the epoch for an empty window.
      long expectedEvent = newest.get(a) == Long.MIN_VALUE ? 0 : newest.get(a);
      if (status == FieldStatus.NULL_VALUE && expectedEvent != 0) {
        nullValuesWithEvents++;
      }
      assertThat(eventTimestamp).as("event timestamp of " + of).isEqualTo(instant(expectedEvent));
    }
  }

  private static Object emptyWindow(Aggregation aggregation) {
    return aggregation.function().isCount() ? 0L : null;
  }

  private static Object offlineValue(Row row, Aggregation aggregation) {
    int index = row.fieldIndex(aggregation.name());
    if (row.isNullAt(index)) {
      return null;
    }
    return aggregation.function() == AggregationFunction.LAST_N
        ? new ArrayList<>(row.getList(index))
        : row.get(index);
  }

  /** Floats within 1e-9 (relative above 1), distinct counts within 2%, the rest exactly. */
  private static void nearReference(
      String what, Aggregation aggregation, Object actual, Object expected) {
    if (expected == null || actual == null) {
      assertThat(actual).as(what).isEqualTo(expected);
      return;
    }
    switch (aggregation.function()) {
      case SUM, AVG, STDDEV -> {
        if (aggregation.outputType() == ValueType.FLOAT64) {
          double e = (Double) expected;
          assertThat(Math.abs((Double) actual - e))
              .as(what + ": " + actual + " vs " + expected)
              .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(e)));
        } else {
          assertThat(actual).as(what).isEqualTo(expected);
        }
      }
      case APPROX_COUNT_DISTINCT -> {
        long e = (Long) expected;
        assertThat((Long) actual).as(what).isBetween((long) (e * 0.98), (long) Math.ceil(e * 1.02));
      }
      default -> assertThat(actual).as(what).isEqualTo(expected);
    }
  }

  /**
   * Both stores hold the same tiles: the same fields (the intervals with events in the range
   * materialized), the same partial aggregates; {@code through} is the end of the run that wrote
   * the tile (the second incremental run rewrote the tiles from the first run's end's interval on).
   */
  private static void compareTiles(
      Definitions definitions, Side side, long end, long firstEnd, long materializedFrom) {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<byte[], byte[]> one =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(oneRunRedis.uri()));
        StatefulRedisConnection<byte[], byte[]> two =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(incrementalRedis.uri()))) {
      for (List<Object> key : side.keys()) {
        byte[] redisKey =
            OnlineKeys.key(definitions.project(), side.view().name(), side.joinKeys(), key);
        Map<Long, byte[]> oneRun = tiles(one.sync().hgetall(redisKey));
        Map<Long, byte[]> incremental = tiles(two.sync().hgetall(redisKey));
        TreeSet<Long> expected = new TreeSet<>();
        for (ParityEvents.Event e : side.events()) {
          if (key.equals(e.key()) && e.ts() >= materializedFrom && e.ts() <= end) {
            expected.add(Windows.tileOf(e.ts(), H));
          }
        }
        assertThat(oneRun.keySet()).as("tiles of " + key).isEqualTo(expected);
        assertThat(incremental.keySet()).as("tiles of " + key).isEqualTo(expected);
        for (long tile : expected) {
          byte[] a = oneRun.get(tile);
          byte[] b = incremental.get(tile);
          assertThat(Arrays.copyOfRange(b, 8, b.length))
              .as("tile " + tile + " of " + key)
              .isEqualTo(Arrays.copyOfRange(a, 8, a.length));
          assertThat(through(a)).isEqualTo(end);
          assertThat(through(b)).isEqualTo(tile >= Windows.tileOf(firstEnd, H) ? end : firstEnd);
        }
      }
    } finally {
      client.shutdown();
    }
  }

  private static Map<Long, byte[]> tiles(Map<byte[], byte[]> hash) {
    Map<Long, byte[]> tiles = new HashMap<>();
    hash.forEach((field, value) -> tiles.put(TileCodec.tile(field), value));
    return tiles;
  }

  private static long through(byte[] tile) {
    return java.nio.ByteBuffer.wrap(tile, 0, 8).getLong();
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L));
  }
}
