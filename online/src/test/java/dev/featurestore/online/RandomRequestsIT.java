/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static dev.featurestore.online.RandomJson.CONTENT_TYPES;
import static dev.featurestore.online.RandomJson.body;
import static dev.featurestore.online.RandomJson.check;
import static dev.featurestore.online.RandomJson.pick;
import static dev.featurestore.online.RandomJson.randomString;
import static dev.featurestore.online.RandomJson.scalar;
import static dev.featurestore.online.RandomJson.string;
import static dev.featurestore.online.RandomJson.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.online.testing.OnlineTestStore;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No client input gets a 5xx: thousands of random requests (fixed seeds, so a failure names the
 * seed that reproduces it) of random JSON shapes, wrong types, nulls, huge numbers, deep nesting,
 * invalid UTF-8, truncated bodies, random content types, accept headers and methods. Every 4xx
 * carries a problem detail (but an answer to HEAD, and a 406 of the lookup route, which has no body
 * as its client takes no JSON).
 */
class RandomRequestsIT {
  private static final int REQUESTS = 4_000;
  private static final int IN_FLIGHT = 4;

  private static final String[] REFERENCES = {
    "driver_stats:conv_rate",
    "driver_stats:acc_rate",
    "driver_stats:trips",
    "driver_stats:note",
    "driver_stats:*",
    "driver_profile:*",
    "driver_profile:tags",
    "driver_customer:affinity",
    "customer_profile:rating",
    "driver_history:lifetime_trips",
    "driver_stats",
    "driver_stats:",
    ":trips",
    "no_view:x",
    "driver_stats:nope",
    "a:b:c",
    "",
  };
  private static final String[] KEYS = {"driver_id", "customer_id", "request_amount", "", "é"};
  private static final String[] FIELDS = {
    "features",
    "feature_service",
    "entities",
    "full_feature_names",
    "include_feature_view_version_metadata",
    "request_context",
    "project",
  };
  private static final String[] SERVICES = {"driver_service", "driver_servise", "", "x"};
  private static final String[] ACCEPTS = {
    null,
    "*/*",
    "application/json",
    "application/*",
    "application/problem+json",
    "text/html",
    "text/*;q=0.5, application/json;q=0.1",
    "garbage",
    "",
    "application/json;q=0",
  };
  private static final String[] METHODS = {
    "POST", "POST", "POST", "POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS",
    "HEAD", "TRACE", "FETCH",
  };
  private static final String[] PATHS = {
    "/get-online-features",
    "/get-online-features",
    "/get-online-features",
    "/get-online-features",
    "/get-online-features?full_feature_names=true",
    "/get-online-features/",
    "/health",
    "/registry",
    "/registry/feature-views/driver_stats",
    "/registry/feature-views/%00%FF%2F",
    "/registry/entities/%C3%A9",
    "/registry/feature-services/..%2F..",
    "/nope",
  };

  @TempDir static Path root;
  private static OnlineTestApp app;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    String project = TestDefinitions.uniqueProject();
    Definitions definitions = ServingDefinitions.definitions(project);
    String uri = RedisFixture.shared().uri();
    try (OnlineTestStore store = new OnlineTestStore(uri)) {
      Instant now = Instant.now();
      store.put(definitions, "driver_stats", List.of(1L), now, List.of(Double.NaN, 1f, 2L, "x"));
      store.put(definitions, "driver_profile", List.of(1L), now, List.of(1.0, "c", List.of(), now));
      store.put(definitions, "driver_customer", List.of(1L, 2L), now, List.of(0.5));
    }
    FeatureRepo repo = TestRepos.create(root, definitions, uri, Optional.empty());
    app = OnlineTestApp.start(repo.root(), Map.of());
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void answersNoRandomRequestWithA5xxAndEveryClientErrorWithAProblemDetail() {
    List<String> failures = new ArrayList<>();
    int[] byClass = new int[6];
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int seed = 1; seed <= REQUESTS; seed++) {
      Request request = request(new Random(seed), seed);
      slots.acquireUninterruptibly();
      all.add(
          http.sendAsync(request.http(), HttpResponse.BodyHandlers.ofByteArray())
              .handle(
                  (response, error) -> {
                    slots.release();
                    String failure =
                        error != null ? "no answer: " + error : check(request.method(), response);
                    synchronized (failures) {
                      if (response != null) {
                        byClass[Math.min(5, response.statusCode() / 100)]++;
                      }
                      if (failure != null) {
                        failures.add(request.describe() + " -> " + failure);
                      }
                    }
                    return null;
                  }));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();

    assertThat(failures).as("failed requests (seed: request -> answer)").isEmpty();
    // The generator reaches the server's every kind of answer, not only its JSON parser.
    assertThat(byClass[2]).as("2xx answers").isGreaterThan(REQUESTS / 50);
    assertThat(byClass[4]).as("4xx answers").isGreaterThan(REQUESTS / 2);
  }

  private record Request(
      int seed, String method, String path, String contentType, String accept, byte[] body) {
    HttpRequest http() {
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
      if (accept != null) {
        builder.header("Accept", accept);
      }
      return builder.build();
    }

    String describe() {
      String text = new String(body, UTF_8);
      return String.format(
          "seed %d: %s %s (Content-Type %s, Accept %s) %s",
          seed,
          method,
          path,
          contentType,
          accept,
          text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
  }

  private static Request request(Random random, int seed) {
    String method = pick(random, METHODS);
    String path = random.nextInt(10) < 8 ? "/get-online-features" : pick(random, PATHS);
    return new Request(
        seed,
        method,
        path,
        pick(random, CONTENT_TYPES),
        random.nextInt(4) == 0 ? pick(random, ACCEPTS) : null,
        body(random, 20, requestObject(random)));
  }

  /** A request object: mostly the right fields with values of the right or a wrong shape. */
  private static String requestObject(Random random) {
    List<String> fields = new ArrayList<>();
    for (String field : FIELDS) {
      if (random.nextInt(10) < (field.equals("entities") || field.equals("features") ? 8 : 2)) {
        fields.add(string(field) + ": " + fieldValue(random, field));
      }
    }
    if (random.nextInt(5) == 0) {
      fields.add(string(randomString(random)) + ": " + value(random, 2));
    }
    Collections.shuffle(fields, random);
    return "{" + String.join(", ", fields) + "}";
  }

  private static String fieldValue(Random random, String field) {
    if (random.nextInt(8) == 0) {
      return value(random, 2); // any shape at all
    }
    return switch (field) {
      case "features" -> {
        List<String> items = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          int which = random.nextInt(12);
          items.add(
              which == 0
                  ? "null"
                  : which == 1 ? value(random, 1) : string(pick(random, REFERENCES)));
        }
        yield "[" + String.join(", ", items) + "]";
      }
      case "feature_service" -> random.nextInt(4) == 0 ? "null" : string(pick(random, SERVICES));
      case "entities" -> {
        List<String> columns = new ArrayList<>();
        int n = random.nextInt(4);
        int rows = random.nextInt(50) == 0 ? 1_001 + random.nextInt(100) : random.nextInt(4);
        for (int i = 0; i < n; i++) {
          columns.add(string(pick(random, KEYS)) + ": " + column(random, rows));
        }
        yield "{" + String.join(", ", columns) + "}";
      }
      case "full_feature_names", "include_feature_view_version_metadata" ->
          random.nextBoolean() ? "true" : value(random, 1);
      default -> value(random, 2);
    };
  }

  private static String column(Random random, int rows) {
    if (random.nextInt(10) == 0) {
      return value(random, 1);
    }
    List<String> values = new ArrayList<>();
    int length = random.nextInt(8) == 0 ? rows + 1 : rows;
    for (int i = 0; i < length; i++) {
      int which = random.nextInt(10);
      values.add(
          which < 5
              ? Integer.toString(1 + random.nextInt(3))
              : which == 5 ? value(random, 1) : scalar(random));
    }
    return "[" + String.join(", ", values) + "]";
  }
}
