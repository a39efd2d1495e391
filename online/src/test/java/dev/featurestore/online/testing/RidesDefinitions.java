/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureReference;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test definitions of a rides project:
 *
 * <ul>
 *   <li>entities {@code driver} (driver_id int64) and {@code customer} (customer_id string)
 *   <li>{@code driver_stats} (driver, TTL 1 h): conv_rate float64, acc_rate float32, trips int64,
 *       note string
 *   <li>{@code driver_profile} (driver, no TTL): rating float64, city string, tags
 *       array&lt;string&gt;, since timestamp
 *   <li>{@code driver_customer} (driver and customer, TTL 1 d): affinity float64
 *   <li>{@code customer_profile} (customer): rating float64 (collides with driver_profile)
 *   <li>{@code driver_history} (driver, online: false): lifetime_trips int64
 *   <li>service {@code driver_service}: driver_stats:conv_rate, driver_stats:trips,
 *       driver_profile:rating
 * </ul>
 */
public final class RidesDefinitions {
  private RidesDefinitions() {}

  /** A fresh project name, so tests sharing one Redis never see each other's keys. */
  public static String uniqueProject() {
    return "rides_" + Long.toHexString(System.nanoTime());
  }

  public static Definitions definitions(String project) {
    return definitions(project, List.of());
  }

  /** The definitions with extra features appended to driver_stats (schema evolution). */
  public static Definitions definitions(String project, List<Feature> extraDriverStats) {
    return definitions(project, extraDriverStats, Duration.ofHours(1));
  }

  /** The definitions with extra driver_stats features and another driver_stats TTL. */
  public static Definitions definitions(
      String project, List<Feature> extraDriverStats, Duration driverStatsTtl) {
    Entity driver = new Entity("driver", List.of(new JoinKey("driver_id", ValueType.INT64)), "");
    Entity customer =
        new Entity("customer", List.of(new JoinKey("customer_id", ValueType.STRING)), "");
    ParquetSource source =
        new ParquetSource(
            "rides_source", "data/rides.parquet", "event_timestamp", Optional.empty(), "");
    List<Feature> stats =
        new ArrayList<>(
            List.of(
                Feature.of("conv_rate", ValueType.FLOAT64),
                Feature.of("acc_rate", ValueType.FLOAT32),
                Feature.of("trips", ValueType.INT64),
                Feature.of("note", ValueType.STRING)));
    stats.addAll(extraDriverStats);
    List<FeatureView> views =
        List.of(
            view("driver_stats", List.of("driver"), driverStatsTtl, true, stats),
            view(
                "driver_profile",
                List.of("driver"),
                Duration.ZERO,
                true,
                List.of(
                    Feature.of("rating", ValueType.FLOAT64),
                    Feature.of("city", ValueType.STRING),
                    Feature.of("tags", ValueType.ARRAY_STRING),
                    Feature.of("since", ValueType.TIMESTAMP))),
            view(
                "driver_customer",
                List.of("driver", "customer"),
                Duration.ofDays(1),
                true,
                List.of(Feature.of("affinity", ValueType.FLOAT64))),
            view(
                "customer_profile",
                List.of("customer"),
                Duration.ZERO,
                true,
                List.of(Feature.of("rating", ValueType.FLOAT64))),
            view(
                "driver_history",
                List.of("driver"),
                Duration.ZERO,
                false,
                List.of(Feature.of("lifetime_trips", ValueType.INT64))));
    FeatureService service =
        new FeatureService(
            "driver_service",
            List.of(
                FeatureReference.parse("driver_stats:conv_rate"),
                FeatureReference.parse("driver_stats:trips"),
                FeatureReference.parse("driver_profile:rating")),
            "");
    return new Definitions(
        project, List.of(driver, customer), List.of(source), views, List.of(service));
  }

  private static FeatureView view(
      String name, List<String> entities, Duration ttl, boolean online, List<Feature> features) {
    return new FeatureView(name, entities, "rides_source", ttl, online, features, Map.of(), "");
  }
}
