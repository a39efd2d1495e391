/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureReference;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-data builders for definitions, shared with other modules through the test-jar (with {@link
 * ServingDefinitions} for serving tests, {@link DefinitionsYaml} and {@link TestRepos} for repos on
 * disk).
 *
 * <p>{@link #rides()} equals what {@code examples/rides} parses to (a test checks it), so tests can
 * use either.
 */
public final class TestDefinitions {
  private static final AtomicInteger PROJECTS = new AtomicInteger();

  private TestDefinitions() {}

  /** The {@code driver} entity: join key {@code driver_id int64}. */
  public static Entity driver() {
    return new Entity(
        "driver", List.of(new JoinKey("driver_id", ValueType.INT64)), "A driver on the platform");
  }

  /** The {@code customer} entity: join key {@code customer_id int64}. */
  public static Entity customer() {
    return new Entity(
        "customer",
        List.of(new JoinKey("customer_id", ValueType.INT64)),
        "A customer who books rides");
  }

  /** An entity without a description. */
  public static Entity entity(String name, JoinKey... keys) {
    return new Entity(name, List.of(keys), "");
  }

  /** A join key. */
  public static JoinKey key(String name, ValueType type) {
    return new JoinKey(name, type);
  }

  /** A source over {@code path} with an {@code event_timestamp} column. */
  public static ParquetSource source(String name, String path) {
    return new ParquetSource(name, path, "event_timestamp", Optional.empty(), "");
  }

  /** A source over {@code path} with an {@code event_timestamp} and a created timestamp column. */
  public static ParquetSource source(String name, String path, String createdTimestampField) {
    return new ParquetSource(name, path, "event_timestamp", Optional.of(createdTimestampField), "");
  }

  /** A feature read from the column of the same name. */
  public static Feature feature(String name, ValueType type) {
    return Feature.of(name, type);
  }

  /** A feature view of one entity with online serving on, no tags and no description. */
  public static FeatureView view(
      String name, String entity, String source, Duration ttl, Feature... features) {
    return view(name, List.of(entity), source, ttl, true, Arrays.asList(features));
  }

  /** A feature view with online serving on, no tags and no description. */
  public static FeatureView view(
      String name, List<String> entities, String source, Duration ttl, Feature... features) {
    return view(name, entities, source, ttl, true, Arrays.asList(features));
  }

  /** A feature view without tags and description. */
  public static FeatureView view(
      String name,
      List<String> entities,
      String source,
      Duration ttl,
      boolean online,
      List<Feature> features) {
    return new FeatureView(name, entities, source, ttl, online, features, Map.of(), "");
  }

  /**
   * The {@code driver_stats} view: entity {@code driver}, source {@code driver_source} (see {@link
   * #driverProject}).
   */
  public static FeatureView driverStats(Duration ttl, List<Feature> features) {
    return view("driver_stats", List.of("driver"), "driver_source", ttl, true, features);
  }

  /** The usual features of {@link #driverStats}: conv_rate float64, trips int64. */
  public static List<Feature> driverStatsFeatures() {
    return List.of(feature("conv_rate", ValueType.FLOAT64), feature("trips", ValueType.INT64));
  }

  /**
   * A project of driver views: entity {@code driver} (driver_id int64, no description) and source
   * {@code driver_source} over {@code parquet} (event_timestamp, created).
   */
  public static Definitions driverProject(String project, Path parquet, FeatureView... views) {
    return new Definitions(
        project,
        List.of(entity("driver", key("driver_id", ValueType.INT64))),
        List.of(source("driver_source", parquet.toString(), "created")),
        List.of(views),
        List.of());
  }

  /**
   * The {@code trips_src} source of raw trip events over {@code path}: Parquet columns {@code
   * driver_id int64}, {@code event_timestamp}, {@code fare float64}, {@code rider_id int64}.
   */
  public static ParquetSource tripsSource(String path) {
    return new ParquetSource("trips_src", path, "event_timestamp", Optional.empty(), "Trip events");
  }

  /** An aggregation of a column of this type. */
  public static Aggregation aggregation(
      String name, AggregationFunction function, String column, ValueType type, Duration window) {
    return new Aggregation(name, function, Optional.of(column), Optional.of(type), window, 0, "");
  }

  /**
   * The aggregated view {@code driver_trips}: entity {@code driver}, source {@code trips_src} (see
   * {@link #tripsSource}), interval 1h, one aggregation of each function.
   */
  public static FeatureView driverTrips() {
    Duration hour = Duration.ofHours(1);
    Duration day = Duration.ofHours(24);
    Duration week = Duration.ofDays(7);
    List<Aggregation> aggregations =
        List.of(
            count("trips_1h", hour),
            aggregation("fare_sum_24h", AggregationFunction.SUM, "fare", ValueType.FLOAT64, day),
            aggregation("fare_avg_7d", AggregationFunction.AVG, "fare", ValueType.FLOAT64, week),
            aggregation("fare_max_24h", AggregationFunction.MAX, "fare", ValueType.FLOAT64, day),
            aggregation("fare_min_1h", AggregationFunction.MIN, "fare", ValueType.FLOAT64, hour),
            aggregation("fare_std_7d", AggregationFunction.STDDEV, "fare", ValueType.FLOAT64, week),
            aggregation("fare_last_24h", AggregationFunction.LAST, "fare", ValueType.FLOAT64, day),
            new Aggregation(
                "fares_last3_7d",
                AggregationFunction.LAST_N,
                Optional.of("fare"),
                Optional.of(ValueType.FLOAT64),
                week,
                3,
                ""),
            aggregation(
                "riders_7d",
                AggregationFunction.APPROX_COUNT_DISTINCT,
                "rider_id",
                ValueType.INT64,
                week));
    return driverTripsView("", aggregations);
  }

  /** An aggregated view {@code driver_trips} of entity {@code driver} over {@code trips_src}. */
  private static FeatureView driverTripsView(String description, List<Aggregation> aggregations) {
    return new FeatureView(
        "driver_trips",
        List.of("driver"),
        "trips_src",
        Duration.ZERO,
        true,
        List.of(),
        Map.of(),
        description,
        Optional.empty(),
        Optional.of(new Aggregations(Duration.ofHours(1), aggregations)));
  }

  /**
   * A project with the {@link #driverTrips} view: entity {@code driver} and source {@code
   * trips_src} over {@code parquet}.
   */
  public static Definitions tripsProject(String project, Path parquet) {
    return new Definitions(
        project,
        List.of(driver()),
        List.of(tripsSource(parquet.toString())),
        List.of(driverTrips()),
        List.of());
  }

  /**
   * A fresh project name, so tests sharing one Redis (or one registry) never see each other's keys.
   */
  public static String uniqueProject() {
    return "test_" + PROJECTS.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
  }

  /** A feature service from textual references ({@code view:feature}, {@code view:*}). */
  public static FeatureService service(String name, String... references) {
    return new FeatureService(
        name, Arrays.stream(references).map(FeatureReference::parse).toList(), "");
  }

  /** The rides definitions with one view's TTL changed: distinct content per {@code hours}. */
  public static Definitions ridesWithTtl(int hours) {
    Definitions rides = rides();
    List<FeatureView> views = new ArrayList<>();
    for (FeatureView v : rides.featureViews()) {
      views.add(
          v.name().equals("driver_hourly_stats")
              ? new FeatureView(
                  v.name(),
                  v.entities(),
                  v.source(),
                  Duration.ofHours(hours),
                  v.online(),
                  v.features(),
                  v.tags(),
                  v.description(),
                  v.freshness())
              : v);
    }
    return new Definitions(
        rides.project(), rides.entities(), rides.sources(), views, rides.featureServices());
  }

  /** The definitions of {@code examples/rides}. */
  public static Definitions rides() {
    ParquetSource hourlySource =
        new ParquetSource(
            "driver_hourly_stats_src",
            "data/driver_hourly_stats",
            "event_timestamp",
            Optional.of("created"),
            "Hourly driver statistics");
    ParquetSource dailySource =
        new ParquetSource(
            "driver_daily_src",
            "data/driver_daily",
            "event_timestamp",
            Optional.empty(),
            "Daily driver aggregates and embeddings");
    ParquetSource customerSource = source("customer_profile_src", "data/customer_profile");
    FeatureView hourly =
        new FeatureView(
            "driver_hourly_stats",
            List.of("driver"),
            "driver_hourly_stats_src",
            Duration.ofHours(2),
            true,
            List.of(
                new Feature(
                    "conv_rate",
                    ValueType.FLOAT64,
                    "conv_rate",
                    "Share of offers the driver accepted",
                    checks(0.0, 1.0, 0.01)),
                Feature.of("acc_rate", ValueType.FLOAT32).withChecks(checks(0.0, 1.0, 0.01)),
                Feature.of("avg_daily_trips", ValueType.INT64).withChecks(checks(0.0, null, null))),
            Map.of("owner", "growth-team"),
            "",
            Optional.of(Duration.ofHours(2)));
    FeatureView daily =
        new FeatureView(
            "driver_daily",
            List.of("driver"),
            "driver_daily_src",
            Duration.ofDays(7),
            true,
            List.of(
                Feature.of("trips_last_7d", ValueType.INT64).withChecks(checks(0.0, null, null)),
                new Feature(
                    "rating", ValueType.FLOAT64, "driver_rating", "", checks(1.0, 5.0, 0.05)),
                new Feature(
                    "embedding",
                    ValueType.ARRAY_FLOAT32,
                    "embedding",
                    "8-dimensional driver embedding")),
            Map.of("owner", "ranking-team"),
            "");
    FeatureView customerProfile =
        new FeatureView(
            "customer_profile",
            List.of("customer"),
            "customer_profile_src",
            Duration.ofDays(30),
            true,
            List.of(
                Feature.of("current_balance", ValueType.FLOAT64)
                    .withChecks(checks(0.0, null, null)),
                Feature.of("avg_passenger_count", ValueType.FLOAT64)
                    .withChecks(checks(1.0, 8.0, null)),
                Feature.of("lifetime_trip_count", ValueType.INT64)
                    .withChecks(checks(0.0, null, null)),
                Feature.of("segment", ValueType.STRING)
                    .withChecks(
                        new FeatureChecks(
                            OptionalDouble.empty(),
                            OptionalDouble.empty(),
                            OptionalDouble.of(0),
                            List.of("new", "regular", "premium")))),
            Map.of(),
            "Slowly changing customer attributes");
    FeatureService ranking =
        new FeatureService(
            "driver_ranking",
            List.of(
                FeatureReference.parse("driver_hourly_stats:conv_rate"),
                FeatureReference.parse("driver_hourly_stats:acc_rate"),
                FeatureReference.parse("driver_daily:*"),
                FeatureReference.parse("driver_trips:trips_24h"),
                FeatureReference.parse("driver_trips:fare_avg_7d"),
                FeatureReference.parse("customer_profile:current_balance")),
            "Features of the driver ranking model");
    return new Definitions(
        "rides",
        List.of(driver(), customer()),
        List.of(hourlySource, dailySource, customerSource, ridesTripsSource()),
        List.of(hourly, daily, customerProfile, ridesDriverTrips()),
        List.of(ranking));
  }

  /** The trip events of {@code examples/rides} ({@code features/trips.yaml}). */
  private static ParquetSource ridesTripsSource() {
    return new ParquetSource(
        "trips_src",
        "data/trips",
        "event_timestamp",
        Optional.empty(),
        "Trip events, one row per completed trip",
        true);
  }

  /** The aggregated view {@code driver_trips} of {@code examples/rides}. */
  private static FeatureView ridesDriverTrips() {
    Duration hour = Duration.ofHours(1);
    Duration day = Duration.ofHours(24);
    Duration week = Duration.ofDays(7);
    List<Aggregation> aggregations =
        List.of(
            count("trips_1h", hour),
            count("trips_24h", day),
            aggregation("fare_max_1h", AggregationFunction.MAX, "fare", ValueType.FLOAT64, hour),
            aggregation("fare_avg_7d", AggregationFunction.AVG, "fare", ValueType.FLOAT64, week),
            new Aggregation(
                "fares_last3_24h",
                AggregationFunction.LAST_N,
                Optional.of("fare"),
                Optional.of(ValueType.FLOAT64),
                day,
                3,
                ""),
            aggregation(
                "customers_7d",
                AggregationFunction.APPROX_COUNT_DISTINCT,
                "customer_id",
                ValueType.INT64,
                week));
    return driverTripsView("Trips and fares of a driver over sliding windows", aggregations);
  }

  /** A row count over {@code window}. */
  public static Aggregation count(String name, Duration window) {
    return new Aggregation(
        name, AggregationFunction.COUNT, Optional.empty(), Optional.empty(), window, 0, "");
  }

  /** Checks with these bounds and null fraction (null for none) and no allowed values. */
  public static FeatureChecks checks(Double min, Double max, Double maxNullFraction) {
    return new FeatureChecks(
        min == null ? OptionalDouble.empty() : OptionalDouble.of(min),
        max == null ? OptionalDouble.empty() : OptionalDouble.of(max),
        maxNullFraction == null ? OptionalDouble.empty() : OptionalDouble.of(maxNullFraction),
        List.of());
  }

  /**
   * Definitions with {@code views} feature views over one {@code driver} entity, each with its own
   * source and {@code featuresPerView} float64 features; view {@code i} is named {@code view_<i>}
   * (zero-padded to 4 digits) and has TTL {@code (i % 24) + 1} hours.
   */
  public static Definitions manyViews(String project, int views, int featuresPerView) {
    List<ParquetSource> sources = new ArrayList<>();
    List<FeatureView> featureViews = new ArrayList<>();
    for (int i = 0; i < views; i++) {
      String name = String.format("view_%04d", i);
      sources.add(source(name + "_src", "data/" + name));
      List<Feature> features = new ArrayList<>();
      for (int f = 0; f < featuresPerView; f++) {
        features.add(Feature.of("f" + f, ValueType.FLOAT64));
      }
      featureViews.add(
          new FeatureView(
              name,
              List.of("driver"),
              name + "_src",
              Duration.ofHours(i % 24 + 1),
              true,
              features,
              Map.of(),
              ""));
    }
    return new Definitions(project, List.of(driver()), sources, featureViews, List.of());
  }

  /**
   * Writes definitions as a feature repo ({@code featurestore.yaml} plus one file per kind under
   * {@code features/}) and returns its root. Descriptions, tags and source columns are written as
   * well, so the repo parses back to equal definitions.
   */
  public static Path writeRepo(Path root, Definitions definitions) {
    try {
      Files.createDirectories(root.resolve("features"));
      Files.writeString(
          root.resolve("featurestore.yaml"), "project: " + definitions.project() + "\n");
      Files.writeString(root.resolve("features/definitions.yaml"), DefinitionsYaml.of(definitions));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
