/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static dev.featurestore.online.RandomJson.CONTENT_TYPES;
import static dev.featurestore.online.RandomJson.JSON;
import static dev.featurestore.online.RandomJson.check;
import static dev.featurestore.online.RandomJson.pick;
import static dev.featurestore.online.RandomJson.randomString;
import static dev.featurestore.online.RandomJson.scalar;
import static dev.featurestore.online.RandomJson.string;
import static dev.featurestore.online.RandomJson.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * No push gets a 5xx, and a refused push writes nothing: random push bodies (fixed seeds) with the
 * source's columns of random lengths, wrong types, nulls, NaN strings, huge and negative numbers,
 * timestamps in valid and invalid forms, unknown sources and views, {@code to} values, more rows
 * than the limit, and the broken bodies of {@link RandomJson}. After every refused request, Redis
 * holds the same keys and values and the source's folder the same files; accepted ones wrote.
 * Requests go one at a time, so each one's writes are its own.
 */
class RandomPushRequestsIT {
  private static final int REQUESTS = 1_500;
  private static final int MAX_ROWS = 5;
  private static final int DRIVERS = 20;

  private static final String[] SOURCES = {
    "driver_pushes",
    "driver_pushes",
    "driver_pushes",
    "driver_pushes",
    "driver_pushes",
    "driver_pushes",
    "driver_pushes",
    "driver_pushes",
    "batch_src",
    "driver_pushs",
    "",
    "é",
  };
  private static final String[] VIEWS = {
    "driver_live",
    "driver_live",
    "driver_rating",
    "driver_rating",
    "batch_view",
    "driver_lve",
    "",
    "driver_pushes",
  };
  private static final String[] TO = {
    "\"online\"",
    "\"online\"",
    "\"offline\"",
    "\"offline\"",
    "\"online_and_offline\"",
    "\"online_and_offline\"",
    "\"both\"",
    "\"OFFLINE\"",
    "\"\"",
    "null",
    "1",
    "[\"online\"]",
  };
  private static final String[] COLUMNS = {
    "driver_id", "event_timestamp", "created", "conv_rate", "trips", "city", "tags", "rating",
  };
  private static final String[] GOOD_TIMESTAMPS = {
    "\"2026-11-21T10:00:00Z\"",
    "\"2026-11-21 10:00:00\"",
    "\"2026-11-21 10:00:00.123456\"",
    "\"2026-11-21T10:00:00.5+02:00\"",
    "\"2026-11-21 12:00:00-05:30\"",
    "\"2026-11-21T10:00:00.123456789Z\"",
    "\"1970-01-01T00:00:00Z\"",
    "1795000000",
    "1795000000.25",
    "0",
    "\"1900-01-01 00:00:00\"",
    "\"9999-12-31T23:59:59.999999Z\"",
  };
  private static final String[] BAD_TIMESTAMPS = {
    "\"yesterday\"",
    "\"2026-13-01T00:00:00Z\"",
    "\"2026-02-30 10:00:00\"",
    "\"2026-11-21T25:00:00\"",
    "\"2026-11-21\"",
    "\"10:00:00\"",
    "\"2026-11-21T10:00:00+25:00\"",
    "\"2026-11-21T10:00:00 UTC\"",
    "\"+10000-01-01T00:00:00Z\"",
    "\"-0001-01-01T00:00:00Z\"",
    "\"\"",
    "-1795000000",
    "1e18",
    "10000000000000",
    "-10000000000000.5",
    "31556889864403199",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999",
    "1e400",
    "\"1795000000\"",
    "NaN",
    "true",
    "[1795000000]",
    "{}",
  };
  private static final String[] NUMBERS = {
    "0.5",
    "-1",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e400",
    "\"NaN\"",
    "\"Infinity\"",
    "\"-Infinity\"",
    "NaN",
    "Infinity",
    "\"nan\"",
    "\"0.5\"",
    "9223372036854775807",
    "99999999999999999999",
    "4.9e-324",
    "null",
  };
  private static final String[] INTEGERS = {
    "3", "-3", "0", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "3.0", "3.5", "1e3", "\"3\"", "null", "-0",
  };

  @TempDir static Path root;
  private static OnlineTestApp app;
  private static HttpClient http;
  private static Path pushFolder;
  private static Definitions definitions;
  private static RedisClient redis;
  private static StatefulRedisConnection<byte[], byte[]> connection;
  private static byte[][] keys;

  @BeforeAll
  static void start() throws IOException {
    definitions = PushIT.definitions(TestDefinitions.uniqueProject());
    String uri = RedisFixture.shared().uri();
    FeatureRepo repo = TestRepos.create(root, definitions, uri, Optional.empty());
    pushFolder = repo.root().resolve("data/driver_pushes");
    Files.createDirectories(pushFolder);
    app = OnlineTestApp.start(repo.root(), Map.of("featurestore.push.max-rows", "" + MAX_ROWS));
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    redis = RedisClient.create(uri);
    connection = redis.connect(ByteArrayCodec.INSTANCE);
    List<byte[]> all = new ArrayList<>();
    for (String name : List.of("driver_live", "driver_rating", "batch_view")) {
      FeatureView view = definitions.requireFeatureView(name);
      for (long driver = 1; driver <= DRIVERS; driver++) {
        all.add(
            OnlineKeys.key(
                definitions.project(), name, definitions.joinKeysOf(view), List.of(driver)));
      }
    }
    keys = all.toArray(new byte[0][]);
  }

  @AfterAll
  static void stop() {
    connection.close();
    redis.shutdown();
    app.close();
  }

  @Test
  void answersNoRandomPushWithA5xxAndWritesNothingForARefusedOne() throws Exception {
    List<String> failures = new ArrayList<>();
    List<String> stalls = new ArrayList<>();
    int[] byClass = new int[6];
    int wroteOnline = 0;
    int wroteOffline = 0;
    for (int seed = 1; seed <= REQUESTS; seed++) {
      Random random = new Random(seed);
      String method = random.nextInt(20) == 0 ? pick(random, new String[] {"GET", "PUT"}) : "POST";
      boolean push = random.nextInt(4) != 0;
      String path = push ? "/push" : "/write-to-online-store";
      String contentType = random.nextInt(3) == 0 ? pick(random, CONTENT_TYPES) : null;
      byte[] body = RandomJson.body(random, 60, request(random, push));
      String describe = RandomJson.describe(seed, method, path, contentType, body);

      long sizeBefore = connection.sync().dbsize();
      List<String> valuesBefore = values();
      List<String> filesBefore = files();
      HttpResponse<byte[]> response;
      try {
        response = send(method, path, contentType, body);
      } catch (HttpTimeoutException e) {
        // Each one seen was the request after a 405 to a GET with a body, answered with its
        // body unread: the keep-alive connection stopped reading (UnreadBodyFilter now reads
        // such bodies). Sent again to tell a stall from a wrong answer; none is tolerated.
        stalls.add(describe);
        try {
          response = send(method, path, contentType, body);
        } catch (IOException again) {
          failures.add(describe + " -> no answer twice: " + again);
          continue;
        }
      } catch (IOException e) {
        failures.add(describe + " -> no answer: " + e);
        continue;
      }
      int status = response.statusCode();
      byClass[Math.min(5, status / 100)]++;
      String failure = check(method, response);
      if (failure != null) {
        failures.add(describe + " -> " + failure);
        continue;
      }
      long sizeAfter = connection.sync().dbsize();
      List<String> valuesAfter = values();
      List<String> filesAfter = files();
      if (status != 200) {
        if (sizeAfter != sizeBefore || !valuesAfter.equals(valuesBefore)) {
          failures.add(describe + " -> " + status + " but Redis changed");
        }
        if (!filesAfter.equals(filesBefore)) {
          failures.add(describe + " -> " + status + " but files changed: " + filesAfter);
        }
        continue;
      }
      JsonNode answer = JSON.readTree(response.body());
      if (answer.path("online").path("keys_written").asLong() > 0
          && !valuesAfter.equals(valuesBefore)) {
        wroteOnline++; // (a re-sent value counts as written but changes nothing)
      }
      if (answer.has("offline")) {
        String file = answer.get("offline").get("file").asString();
        List<String> added = new ArrayList<>(filesAfter);
        added.removeAll(filesBefore);
        if (added.equals(List.of(file))) {
          wroteOffline++;
        } else {
          failures.add(describe + " -> offline push of " + file + " added " + added);
        }
      }
    }

    assertThat(failures).as("failed requests (seed: request -> answer)").isEmpty();
    assertThat(stalls).as("requests unanswered in 10 s, answered when sent again").isEmpty();
    assertThat(byClass[2]).as("2xx answers").isGreaterThan(REQUESTS / 10);
    assertThat(byClass[4]).as("4xx answers").isGreaterThan(REQUESTS / 3);
    assertThat(wroteOnline).as("accepted pushes that changed Redis").isGreaterThan(20);
    assertThat(wroteOffline).as("accepted pushes that added a Parquet file").isGreaterThan(10);
  }

  private static HttpResponse<byte[]> send(
      String method, String path, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The values of every key the pushes of this test can write, in order (null if none). */
  private static List<String> values() {
    List<String> values = new ArrayList<>();
    for (KeyValue<byte[], byte[]> value : connection.sync().mget(keys)) {
      values.add(value.hasValue() ? Arrays.toString(value.getValue()) : null);
    }
    return values;
  }

  /** Every file in the push folder, hidden ones too. */
  private static List<String> files() {
    try (Stream<Path> files = Files.list(pushFolder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A push body: mostly the right fields, a df that is half the time clean. */
  private static String request(Random random, boolean push) {
    List<String> fields = new ArrayList<>();
    String nameField = push ? "push_source_name" : "feature_view_name";
    if (random.nextInt(20) != 0) {
      fields.add(
          string(nameField)
              + ": "
              + (random.nextInt(20) == 0
                  ? value(random, 1)
                  : string(pick(random, push ? SOURCES : VIEWS))));
    }
    if (random.nextInt(20) != 0) {
      fields.add("\"df\": " + (random.nextInt(20) == 0 ? value(random, 2) : df(random)));
    }
    if (push && random.nextInt(3) != 0) {
      fields.add("\"to\": " + pick(random, TO));
    }
    if (random.nextInt(10) == 0) {
      fields.add(string(randomString(random)) + ": " + value(random, 2));
    }
    if (random.nextInt(10) == 0) {
      fields.add("\"allow_registry_cache\": " + scalar(random));
    }
    Collections.shuffle(fields, random);
    return "{" + String.join(", ", fields) + "}";
  }

  private static String df(Random random) {
    boolean clean = random.nextBoolean();
    int rows = random.nextInt(15) == 0 ? MAX_ROWS + 1 + random.nextInt(3) : random.nextInt(4);
    List<String> columns = new ArrayList<>();
    for (String column : COLUMNS) {
      if (clean || random.nextInt(12) != 0) {
        int length = clean || random.nextInt(10) != 0 ? rows : random.nextInt(MAX_ROWS + 2);
        columns.add(string(column) + ": " + column(random, column, length, clean));
      }
    }
    if (random.nextInt(8) == 0) {
      columns.add(string(randomString(random)) + ": [" + scalar(random) + "]");
    }
    Collections.shuffle(columns, random);
    return "{" + String.join(", ", columns) + "}";
  }

  private static String column(Random random, String column, int length, boolean clean) {
    if (!clean && random.nextInt(30) == 0) {
      return value(random, 1); // not a list, or a list of anything
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      values.add(clean || random.nextInt(6) != 0 ? good(random, column) : bad(random, column));
    }
    return "[" + String.join(", ", values) + "]";
  }

  private static String good(Random random, String column) {
    return switch (column) {
      case "driver_id" -> Integer.toString(1 + random.nextInt(DRIVERS));
      case "event_timestamp" -> pick(random, GOOD_TIMESTAMPS);
      case "created" -> random.nextBoolean() ? "null" : pick(random, GOOD_TIMESTAMPS);
      case "trips" -> Integer.toString(random.nextInt(2_000) - 1_000);
      case "city" -> random.nextInt(5) == 0 ? "null" : string(randomString(random));
      case "tags" -> {
        List<String> tags = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          tags.add(random.nextInt(4) == 0 ? "null" : string(randomString(random)));
        }
        yield random.nextInt(6) == 0 ? "null" : "[" + String.join(", ", tags) + "]";
      }
      default -> // conv_rate, rating
          switch (random.nextInt(6)) {
            case 0 -> "\"NaN\"";
            case 1 -> "null";
            case 2 -> "-1e300";
            default -> Double.toString(random.nextGaussian());
          };
    };
  }

  private static String bad(Random random, String column) {
    return switch (column) {
      case "driver_id" -> random.nextBoolean() ? pick(random, INTEGERS) : scalar(random);
      case "event_timestamp", "created" -> pick(random, BAD_TIMESTAMPS);
      case "trips" -> pick(random, INTEGERS);
      case "conv_rate", "rating" -> pick(random, NUMBERS);
      default -> random.nextBoolean() ? scalar(random) : value(random, 2);
    };
  }
}
