/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * {@code POST /push} and {@code POST /write-to-online-store} against the real app and a real Redis:
 * newer-wins across pushes, every kind of bad input refused with nothing written, pushes to the
 * offline store.
 */
class PushIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String LOOKUP =
      """
      {"features": ["driver_live:conv_rate", "driver_live:trips", "driver_live:city",
                    "driver_live:tags", "driver_rating:rating"],
       "entities": {"driver_id": [%d]}}
      """;

  @TempDir static Path root;
  private static OnlineTestApp app;
  private static WebTestClient client;
  private static Path pushFolder;

  static Definitions definitions(String project) {
    return new Definitions(
        project,
        List.of(entity("driver", key("driver_id", ValueType.INT64))),
        List.of(
            new ParquetSource(
                "driver_pushes",
                "data/driver_pushes",
                "event_timestamp",
                Optional.of("created"),
                "",
                true),
            TestDefinitions.source("batch_src", "data/batch.parquet")),
        List.of(
            view(
                "driver_live",
                "driver",
                "driver_pushes",
                Duration.ZERO,
                feature("conv_rate", ValueType.FLOAT64),
                feature("trips", ValueType.INT64),
                feature("city", ValueType.STRING),
                feature("tags", ValueType.ARRAY_STRING)),
            view(
                "driver_rating",
                "driver",
                "driver_pushes",
                Duration.ZERO,
                feature("rating", ValueType.FLOAT64)),
            view(
                "batch_view",
                "driver",
                "batch_src",
                Duration.ZERO,
                feature("x", ValueType.FLOAT64))),
        List.of());
  }

  @BeforeAll
  static void start() throws IOException {
    FeatureRepo repo =
        TestRepos.create(
            root,
            definitions(TestDefinitions.uniqueProject()),
            RedisFixture.shared().uri(),
            Optional.empty());
    pushFolder = repo.root().resolve("data/driver_pushes");
    Files.createDirectories(pushFolder);
    app = OnlineTestApp.start(repo.root(), Map.of("featurestore.push.max-rows", "5"));
    client = app.client();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** One row of driver_pushes as a df. */
  private static String row(long driver, String ts, String created, double conv, String city) {
    return String.format(
        """
        {"driver_id": [%d], "event_timestamp": ["%s"], "created": [%s],
         "conv_rate": [%s], "trips": [3], "city": ["%s"], "tags": [["a", null]], "rating": [4.5]}
        """,
        driver, ts, created == null ? "null" : "\"" + created + "\"", conv, city);
  }

  private static String push(String df) {
    return "{\"push_source_name\": \"driver_pushes\", \"df\": " + df + "}";
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

  /** conv_rate, trips, city, tags and rating of a driver with their statuses. */
  private static String lookup(long driver) {
    JsonNode results =
        post("/get-online-features", String.format(LOOKUP, driver), 200).get("results");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i < results.size(); i++) {
      JsonNode result = results.get(i);
      text.append(result.get("values").get(0))
          .append(' ')
          .append(result.get("statuses").get(0).asString());
      if (i < results.size() - 1) {
        text.append(", ");
      }
    }
    return text.toString();
  }

  private static String detail(String path, String body, int status) {
    return post(path, body, status).get("detail").asString();
  }

  @Test
  void newerPushesWinAndOlderOrRepeatedOnesChangeNothing() {
    JsonNode first = post("/push", push(row(1001, "2026-11-21 10:00:00", null, 0.5, "Oslo")), 200);
    assertThat(first.toString())
        .isEqualTo(
            "{\"push_source_name\":\"driver_pushes\",\"rows\":1,\"online\":{\"feature_views\":"
                + "[\"driver_live\",\"driver_rating\"],\"keys_written\":2,\"keys_not_newer\":0,"
                + "\"rows_expired\":0},\"ignored_columns\":[],\"to\":\"online\"}");
    assertThat(lookup(1001))
        .isEqualTo("0.5 PRESENT, 3 PRESENT, \"Oslo\" PRESENT, [\"a\",null] PRESENT, 4.5 PRESENT");

    // An older push (an hour earlier, in another offset) regresses nothing.
    JsonNode older =
        post("/push", push(row(1001, "2026-11-21T10:00:00+01:00", null, 0.1, "Lima")), 200);
    assertThat(older.get("online").get("keys_not_newer").asLong()).isEqualTo(2);
    assertThat(lookup(1001)).startsWith("0.5 PRESENT, 3 PRESENT, \"Oslo\" PRESENT");

    // The same push again: harmless (an equal value counts as written, changing nothing).
    post("/push", push(row(1001, "2026-11-21 10:00:00", null, 0.5, "Oslo")), 200);
    assertThat(lookup(1001)).startsWith("0.5 PRESENT, 3 PRESENT, \"Oslo\" PRESENT");

    // Equal event time, later created time: wins.
    post(
        "/push",
        push(row(1001, "2026-11-21T10:00:00Z", "2026-11-21T11:00:00.5Z", 0.75, "Rome")),
        200);
    assertThat(lookup(1001)).startsWith("0.75 PRESENT, 3 PRESENT, \"Rome\" PRESENT");

    // A bad push (its second row has a string for trips) writes neither row.
    String bad =
        """
        {"driver_id": [1001, 1001], "event_timestamp": ["2026-11-22 10:00:00", 1795000000],
         "conv_rate": [0.9, 0.9], "trips": [4, "four"], "city": ["Bern", "Bern"],
         "tags": [[], []], "rating": [1.0, 1.0]}
        """;
    assertThat(detail("/push", push(bad), 400))
        .isEqualTo(
            "Cannot push to source 'driver_pushes': column 'trips' is int64, but row 1 has"
                + " \"four\" (a string)");
    assertThat(lookup(1001)).startsWith("0.75 PRESENT, 3 PRESENT, \"Rome\" PRESENT");
  }

  @Test
  void writesOneViewWithWriteToOnlineStore() {
    JsonNode answer =
        post(
            "/write-to-online-store",
            """
            {"feature_view_name": "driver_rating", "allow_registry_cache": true,
             "df": {"driver_id": [2001, 2002], "event_timestamp": [1795000000, 1795000000.25],
                    "rating": [4.0, "NaN"], "extra": [1, 2]}}
            """,
            200);

    assertThat(answer.toString())
        .isEqualTo(
            "{\"feature_view_name\":\"driver_rating\",\"rows\":2,\"online\":{\"feature_views\":"
                + "[\"driver_rating\"],\"keys_written\":2,\"keys_not_newer\":0,\"rows_expired\":0},"
                + "\"ignored_columns\":[\"extra\"]}");
    assertThat(lookup(2001)).endsWith("4.0 PRESENT").startsWith("null NOT_FOUND");
  }

  @Test
  void refusesEveryKindOfBadInputAndWritesNothing() throws IOException {
    String good = row(3001, "2026-11-21 10:00:00", null, 0.5, "Oslo");
    assertThat(detail("/push", good, 400))
        .isEqualTo("Cannot push: 'push_source_name' is missing; give the name as a string");
    assertThat(
            detail("/push", "{\"push_source_name\": \"driver_pushs\", \"df\": " + good + "}", 404))
        .isEqualTo(
            "Cannot push to source 'driver_pushs': project '"
                + app.context().getBean(FeatureRepo.class).config().project()
                + "' has no such source (did you mean 'driver_pushes'?); push sources:"
                + " [driver_pushes]");
    assertThat(detail("/push", "{\"push_source_name\": \"batch_src\", \"df\": {}}", 400))
        .isEqualTo(
            "Cannot push to source 'batch_src': it does not accept pushes; add 'push: true' to"
                + " its definition (its parquet path must be a folder) and run 'featurestore"
                + " apply'");
    assertThat(detail("/push", push(good.replace("\"driver_id\"", "\"driver\"")), 400))
        .isEqualTo(
            "Cannot push to source 'driver_pushes': column 'driver_id' is missing (needed by"
                + " feature view 'driver_live') (did you mean 'driver'?); 'df' has [driver,"
                + " event_timestamp, created, conv_rate, trips, city, tags, rating]");
    assertThat(detail("/push", push(good.replace("\"event_timestamp\"", "\"ts\"")), 400))
        .isEqualTo(
            "Cannot push to source 'driver_pushes': column 'event_timestamp' is missing (needed"
                + " by source 'driver_pushes' as timestamp_field); 'df' has [driver_id, ts,"
                + " created, conv_rate, trips, city, tags, rating]");
    assertThat(detail("/push", push(good.replace("\"trips\": [3]", "\"trips\": [3, 4]")), 400))
        .isEqualTo(
            "Cannot push to source 'driver_pushes': columns have unequal lengths: 'driver_id'"
                + " has 1 values but 'trips' has 2");
    assertThat(detail("/push", push(good.replace("2026-11-21 10:00:00", "yesterday")), 400))
        .isEqualTo(
            "Cannot push to source 'driver_pushes': column 'event_timestamp' is a timestamp, but"
                + " row 0 has \"yesterday\"; use ISO-8601 such as 2024-01-01T10:00:00Z or"
                + " 2024-01-01 10:00:00.123456+02:00 (no offset: UTC), or epoch seconds");
    assertThat(
            detail(
                "/push", push(good.replace("\"tags\": [[\"a\", null]]", "\"tags\": [[1]]")), 400))
        .isEqualTo(
            "Cannot push to source 'driver_pushes': column 'tags' is string, but row 0 has 1 (a"
                + " number)");
    assertThat(detail("/push", push(good.replace("[3001]", "[null]")), 400))
        .isEqualTo(
            "Cannot push to source 'driver_pushes': column 'driver_id' is null at row 0; every"
                + " row needs a int64 value (needed by feature view 'driver_live')");
    assertThat(detail("/push", push(good).replace("}\n}", "}, \"to\": \"both\"}"), 400))
        .isEqualTo(
            "Cannot push: 'to' is \"both\"; use \"online\" (the default), \"offline\" or"
                + " \"online_and_offline\"");
    // Not a string at all (was a 500: the value was read as text).
    assertThat(detail("/push", push(good).replace("}\n}", "}, \"to\": [\"online\"]}"), 400))
        .isEqualTo(
            "Cannot push: 'to' is [\"online\"]; use \"online\" (the default), \"offline\" or"
                + " \"online_and_offline\"");
    assertThat(detail("/push", "[1]", 400))
        .isEqualTo("Cannot push: the body must be a JSON object");
    assertThat(detail("/push", "{\"push_source_name\": ", 400))
        .startsWith("Cannot push: the body is not JSON (");
    assertThat(
            detail(
                "/write-to-online-store",
                "{\"feature_view_name\": \"driver_ratng\", \"df\": {}}",
                404))
        .endsWith("has no such feature view (did you mean 'driver_rating'?)");
    assertThat(lookup(3001)).startsWith("null NOT_FOUND");
    assertThat(dataFiles()).isEmpty();
  }

  @Test
  void refusesMoreRowsThanTheLimit() {
    String six =
        """
        {"driver_id": [1, 2, 3, 4, 5, 6], "event_timestamp": [1, 2, 3, 4, 5, 6],
         "conv_rate": [1, 2, 3, 4, 5, 6], "trips": [1, 2, 3, 4, 5, 6],
         "city": ["a", "b", "c", "d", "e", "f"], "tags": [[], [], [], [], [], []],
         "rating": [1, 2, 3, 4, 5, 6]}
        """;
    JsonNode problem = post("/push", push(six), 413);

    assertThat(problem.get("error_code").asString()).isEqualTo("LIMIT_EXCEEDED");
    assertThat(problem.get("detail").asString())
        .isEqualTo(
            "Cannot push to source 'driver_pushes': 6 rows is more than the limit of 5 per"
                + " request (featurestore.push.max-rows); split the push");
    assertThat(lookup(1)).startsWith("null NOT_FOUND");
  }

  @Test
  void appendsToTheOfflineStoreAsOneFile() throws IOException {
    String df = row(4001, "2026-11-21 10:00:00.123456", null, 0.5, "Oslo");
    JsonNode answer =
        post(
            "/push",
            "{\"push_source_name\": \"driver_pushes\", \"to\": \"offline\", \"df\": " + df + "}",
            200);

    assertThat(answer.get("offline").get("file").asString())
        .startsWith("push-")
        .endsWith(".parquet");
    assertThat(answer.has("online")).isFalse();
    assertThat(dataFiles()).containsExactly(answer.get("offline").get("file").asString());
    assertThat(lookup(4001)).startsWith("null NOT_FOUND");

    JsonNode both =
        post(
            "/push",
            "{\"push_source_name\": \"driver_pushes\", \"to\": \"online_and_offline\", \"df\": "
                + df.replace("4001", "4002")
                + "}",
            200);
    assertThat(both.get("online").get("keys_written").asLong()).isEqualTo(2);
    assertThat(dataFiles()).hasSize(2).contains(both.get("offline").get("file").asString());
    assertThat(lookup(4002)).startsWith("0.5 PRESENT");
    try (Stream<Path> files = Files.list(pushFolder)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
  }

  @Test
  void countsPushedRowsAndRefusedRequestsBySource() {
    post("/push", push(row(5001, "2026-11-21 10:00:00", null, 0.5, "Oslo")), 200);
    post("/push", "{\"push_source_name\": \"nope\", \"df\": {}}", 404);
    post("/push", push("{\"driver_id\": [1]}"), 400);

    String metrics =
        client
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(metrics)
        .containsPattern("featurestore_online_push_rows_total\\{source=\"driver_pushes\"\\} [1-9]")
        .containsPattern(
            "featurestore_online_push_rejected_total\\{source=\"driver_pushes\"\\} [1-9]")
        .containsPattern("featurestore_online_push_rejected_total\\{source=\"unknown\"\\} [1-9]")
        .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/push\"");
  }

  private static List<String> dataFiles() throws IOException {
    try (Stream<Path> files = Files.list(pushFolder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
