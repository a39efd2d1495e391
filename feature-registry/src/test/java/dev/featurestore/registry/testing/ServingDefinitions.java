/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.service;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A rides project for serving tests, with every value type and the cases serving must tell apart:
 *
 * <ul>
 *   <li>entities {@code driver} (driver_id int64) and {@code customer} (customer_id int64, as in
 *       {@code examples/rides}), without descriptions
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
 *
 * All views read the source {@code rides_source} ({@code data/rides.parquet}).
 */
public final class ServingDefinitions {
  private static final String SOURCE = "rides_source";

  private ServingDefinitions() {}

  /** The definitions. */
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
    List<Feature> stats =
        new ArrayList<>(
            List.of(
                Feature.of("conv_rate", ValueType.FLOAT64),
                Feature.of("acc_rate", ValueType.FLOAT32),
                Feature.of("trips", ValueType.INT64),
                Feature.of("note", ValueType.STRING)));
    stats.addAll(extraDriverStats);
    return new Definitions(
        project,
        List.of(
            entity("driver", key("driver_id", ValueType.INT64)),
            entity("customer", key("customer_id", ValueType.INT64))),
        List.of(source(SOURCE, "data/rides.parquet")),
        List.of(
            view("driver_stats", List.of("driver"), SOURCE, driverStatsTtl, true, stats),
            view(
                "driver_profile",
                List.of("driver"),
                SOURCE,
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
                SOURCE,
                Duration.ofDays(1),
                true,
                List.of(Feature.of("affinity", ValueType.FLOAT64))),
            view(
                "customer_profile",
                List.of("customer"),
                SOURCE,
                Duration.ZERO,
                true,
                List.of(Feature.of("rating", ValueType.FLOAT64))),
            view(
                "driver_history",
                List.of("driver"),
                SOURCE,
                Duration.ZERO,
                false,
                List.of(Feature.of("lifetime_trips", ValueType.INT64)))),
        List.of(
            service(
                "driver_service",
                "driver_stats:conv_rate",
                "driver_stats:trips",
                "driver_profile:rating")));
  }
}
