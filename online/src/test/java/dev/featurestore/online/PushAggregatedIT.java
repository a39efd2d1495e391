/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.aggregation.Tile;
import dev.featurestore.aggregation.TileCodec;
import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.aggregation.Windows;
import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.onlinestore.writer.TileWriter;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /push} to a source that feeds an aggregated view, against the real app and a real
 * Redis: the rows' events are merged into the tiles, so the windows served next count them; pushes
 * after a materialization add to its tiles; concurrent pushes lose no event; bad rows write
 * nothing. Expected values are computed by hand from the events pushed (relative to now, far from
 * every window's edge, so the request time within the test does not matter).
 */
class PushAggregatedIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path root;
  private static OnlineTestApp app;
  private static WebTestClient client;
  private static Path pushFolder;
  private static String project;

  static Definitions definitions(String project) {
    FeatureView trips = TestDefinitions.driverTrips();
    return new Definitions(
        project,
        List.of(entity("driver", key("driver_id", ValueType.INT64))),
        List.of(
            new ParquetSource(
                "trips_src", "data/trips", "event_timestamp", Optional.empty(), "", true)),
        List.of(
            trips,
            view(
                "last_trip",
                "driver",
                "trips_src",
                Duration.ZERO,
                feature("fare", ValueType.FLOAT64))),
        List.of());
  }

  @BeforeAll
  static void start() throws IOException {
    project = TestDefinitions.uniqueProject();
    FeatureRepo repo =
        TestRepos.create(root, definitions(project), RedisFixture.shared().uri(), Optional.empty());
    pushFolder = repo.root().resolve("data/trips");
    Files.createDirectories(pushFolder);
    app = OnlineTestApp.start(repo.root(), Map.of());
    client = app.client();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String ago(Duration age) {
    return Instant.now().minus(age).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** A df of trips: (age, fare, rider) per row, for one driver. */
  private static String trips(long driver, Object[]... rows) {
    List<String> drivers = new ArrayList<>();
    List<String> times = new ArrayList<>();
    List<String> fares = new ArrayList<>();
    List<String> riders = new ArrayList<>();
    for (Object[] row : rows) {
      drivers.add(Long.toString(driver));
      times.add("\"" + ago((Duration) row[0]) + "\"");
      fares.add(String.valueOf(row[1]));
      riders.add(String.valueOf(row[2]));
    }
    return String.format(
        "{\"driver_id\": %s, \"event_timestamp\": %s, \"fare\": %s, \"rider_id\": %s}",
        drivers, times, fares, riders);
  }

  private static Object[] trip(Duration age, Object fare, Object rider) {
    return new Object[] {age, fare, rider};
  }

  private static String push(String df, String to) {
    return "{\"push_source_name\": \"trips_src\", \"to\": \"" + to + "\", \"df\": " + df + "}";
  }

  private static JsonNode post(String path, String body, int status) {
    String response =
        client
            .post()
            .uri(path)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(response);
  }

  /** Every aggregation of driver_trips for one driver: "name=value STATUS", in order. */
  private static List<String> lookup(long driver) {
    JsonNode answer =
        post(
            "/get-online-features",
            "{\"features\": [\"driver_trips:*\"], \"entities\": {\"driver_id\": [" + driver + "]}}",
            200);
    JsonNode names = answer.get("metadata").get("feature_names");
    JsonNode results = answer.get("results");
    List<String> values = new ArrayList<>();
    for (int i = 1; i < results.size(); i++) {
      values.add(
          names.get(i).asString()
              + "="
              + results.get(i).get("values").get(0)
              + " "
              + results.get(i).get("statuses").get(0).asString());
    }
    return values;
  }

  @Test
  void pushedEventsAreCountedInTheWindowsServedNext() {
    long driver = 1;
    // In the 1h window: 10 min ago. In 24h, not 1h: 3h ago. In 7d, not 24h: 30h ago. Older than
    // the 7d window + 1h the view keeps: left out.
    JsonNode answer =
        post(
            "/push",
            push(
                trips(
                    driver,
                    trip(Duration.ofMinutes(10), 10.0, 1),
                    trip(Duration.ofHours(3), 20.0, 2),
                    trip(Duration.ofHours(30), 30.0, 1),
                    trip(Duration.ofDays(8), 99.0, 9)),
                "online"),
            200);
    assertThat(answer.get("rows").asInt()).isEqualTo(4);
    JsonNode online = answer.get("online");
    assertThat(online.get("feature_views").toString())
        .isEqualTo("[\"driver_trips\",\"last_trip\"]");
    assertThat(online.get("tiles_written").asLong()).isEqualTo(3); // one per hour with an event
    assertThat(online.get("rows_expired").asLong()).isEqualTo(1);
    // The plain view: the newest of the four rows for the one driver.
    assertThat(online.get("keys_written").asLong()).isEqualTo(1);

    assertThat(lookup(driver))
        .containsExactly(
            "trips_1h=1 PRESENT",
            "fare_sum_24h=30.0 PRESENT",
            "fare_avg_7d=20.0 PRESENT",
            "fare_max_24h=20.0 PRESENT",
            "fare_min_1h=10.0 PRESENT",
            "fare_std_7d=10.0 PRESENT", // sample stddev of 10, 20, 30
            "fare_last_24h=10.0 PRESENT",
            "fares_last3_7d=[10.0,20.0,30.0] PRESENT",
            "riders_7d=2 PRESENT");

    // A second push adds to the same tiles: a newer event and a null fare (a row, no value).
    JsonNode second =
        post(
            "/push",
            push(
                trips(
                    driver,
                    trip(Duration.ofMinutes(5), 40.0, 3),
                    trip(Duration.ofMinutes(5), null, 4)),
                "online"),
            200);
    assertThat(second.get("online").get("tiles_written").asLong()).isEqualTo(1);
    List<String> values = lookup(driver);
    assertThat(values)
        .containsExactly(
            "trips_1h=3 PRESENT",
            "fare_sum_24h=70.0 PRESENT",
            "fare_avg_7d=25.0 PRESENT",
            "fare_max_24h=40.0 PRESENT",
            "fare_min_1h=10.0 PRESENT",
            values.get(5),
            "fare_last_24h=40.0 PRESENT",
            "fares_last3_7d=[40.0,10.0,20.0] PRESENT",
            "riders_7d=4 PRESENT");
    // 10, 20, 30, 40: M2 500 over 3; combined from two tiles' M2, so compared to 1e-12.
    assertThat(Double.parseDouble(values.get(5).replaceAll("fare_std_7d=| PRESENT", "")))
        .isCloseTo(Math.sqrt(500.0 / 3), org.assertj.core.api.Assertions.within(1e-12));
  }

  /** A materialized tile (through now) gets the pushed events added, and keeps its through. */
  @Test
  void aPushAddsToTheTilesOfAMaterialization() throws Exception {
    long driver = 2;
    FeatureView view = TestDefinitions.driverTrips();
    TileLayout layout = TileLayout.of(view);
    long now = Windows.micros(Instant.now());
    long event = now - 20 * 60_000_000L;
    Tile tile = new Tile(layout);
    tile.add(event, Tile.NO_CREATED, new Object[] {5.0, 7L}); // layout columns: fare, rider_id
    byte[] key =
        OnlineKeys.key(
            project,
            "driver_trips",
            List.of(TestDefinitions.key("driver_id", ValueType.INT64)),
            List.of(driver));
    RedisConnections.Shared redis =
        RedisConnections.get(RedisConfig.standalone(RedisFixture.shared().uri()));
    try (TileWriter writer =
        new TileWriter(
            redis,
            layout.trimBelowTile(now),
            layout.intervalMicros(),
            layout.lifetimeMicros(),
            16,
            8,
            64)) {
      writer.write(
          key,
          TileCodec.field(Windows.tileOf(event, layout.intervalMicros())),
          TileCodec.encode(tile, now));
      writer.finish();
    }
    assertThat(lookup(driver)).first().isEqualTo("trips_1h=1 PRESENT");

    post("/push", push(trips(driver, trip(Duration.ofMinutes(1), 15.0, 8)), "online"), 200);

    assertThat(lookup(driver))
        .startsWith("trips_1h=2 PRESENT", "fare_sum_24h=20.0 PRESENT", "fare_avg_7d=10.0 PRESENT");
    assertThat(lookup(driver)).contains("riders_7d=2 PRESENT");
  }

  /** 8 pushes at once of one event each for one driver: every one is counted once. */
  @Test
  void concurrentPushesLoseNoEvent() throws Exception {
    long driver = 3;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int rider = i;
        answers.add(
            pool.submit(
                () ->
                    post(
                        "/push",
                        push(trips(driver, trip(Duration.ofMinutes(5), 1.0, rider)), "online"),
                        200)));
      }
      for (Future<JsonNode> answer : answers) {
        assertThat(answer.get().get("online").get("tiles_written").asLong()).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(lookup(driver))
        .startsWith("trips_1h=8 PRESENT", "fare_sum_24h=8.0 PRESENT")
        .contains("riders_7d=8 PRESENT");
  }

  @Test
  void badRowsWriteNothingAndNameTheColumn() {
    long driver = 4;
    String wrongType =
        "{\"driver_id\": [4, 4], \"event_timestamp\": [\""
            + ago(Duration.ofMinutes(1))
            + "\", \""
            + ago(Duration.ofMinutes(2))
            + "\"], \"fare\": [1.0, \"ten\"], \"rider_id\": [1, 2]}";
    assertThat(post("/push", push(wrongType, "online"), 400).get("detail").asString())
        .contains("'fare'", "row 1", "float64");
    String missing =
        "{\"driver_id\": [4], \"event_timestamp\": [\""
            + ago(Duration.ofMinutes(1))
            + "\"], \"fare\": [1.0]}";
    assertThat(post("/push", push(missing, "online"), 400).get("detail").asString())
        .contains("rider_id", "feature view 'driver_trips'");
    assertThat(lookup(driver)).allMatch(v -> v.endsWith("NOT_FOUND"));

    assertThat(
            post(
                    "/write-to-online-store",
                    "{\"feature_view_name\": \"driver_trips\", \"df\": " + missing + "}",
                    400)
                .get("detail")
                .asString())
        .contains("aggregated", "pushes to its source 'trips_src'");
  }

  /** Online and offline: the rows go to the tiles and to a new Parquet file of the source. */
  @Test
  void onlineAndOfflinePushesWriteBoth() throws IOException {
    long driver = 5;
    JsonNode answer =
        post(
            "/push",
            push(trips(driver, trip(Duration.ofMinutes(3), 12.5, 1)), "online_and_offline"),
            200);
    assertThat(answer.get("online").get("tiles_written").asLong()).isEqualTo(1);
    String file = answer.get("offline").get("file").asString();
    try (Stream<Path> files = Files.list(pushFolder)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains(file);
    }
    assertThat(lookup(driver)).first().isEqualTo("trips_1h=1 PRESENT");
  }
}
