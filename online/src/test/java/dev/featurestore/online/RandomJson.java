/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The random-request generator and answer check shared by {@link RandomRequestsIT} and {@link
 * RandomPushRequestsIT}: random JSON values, broken bodies (truncated, invalid UTF-8, UTF-16, a
 * BOM, deep nesting, random bytes), random content types, and the rule that no answer is a 5xx and
 * every 4xx carries a problem detail.
 */
final class RandomJson {
  static final JsonMapper JSON = JsonMapper.builder().build();

  static final String[] CONTENT_TYPES = {
    null,
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "application/json; charset=no-such-charset",
    "application/problem+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/octet-stream",
    "not a media type",
    ";;;",
    "*/*",
  };

  private RandomJson() {}

  /**
   * Why an answer is wrong, or null: a 5xx (or 1xx), or a 4xx without a complete problem detail
   * (but an answer to HEAD, and a bodiless 406).
   */
  static String check(String method, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    String body = new String(response.body(), UTF_8);
    if (status >= 500 || status < 200) {
      return status + " " + body;
    }
    if (status < 400 || method.equals("HEAD")) {
      return null;
    }
    if (status == 406 && response.body().length == 0) {
      return null; // the lookup route's answer to a client that takes no JSON
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/problem+json")) {
      return status + " of type '" + type + "': " + body;
    }
    try {
      JsonNode problem = JSON.readTree(body);
      if (problem.path("status").asInt() != status
          || problem.path("error_code").asText("").isEmpty()
          || problem.path("detail").asText("").isEmpty()
          || body.contains("at dev.featurestore")) {
        return status + " with an incomplete problem detail: " + body;
      }
    } catch (JacksonException e) {
      return status + " with a body that is no JSON: " + body;
    }
    return null;
  }

  /**
   * One in {@code 1 / (kinds / 8)} a body that is no request at all (empty, a random value, deep
   * nesting, random bytes), else {@code request} as is or broken (truncated, invalid UTF-8, UTF-16,
   * with a BOM).
   */
  static byte[] body(Random random, int kinds, String request) {
    int kind = random.nextInt(kinds);
    if (kind == 0) {
      return new byte[0];
    }
    if (kind == 1) {
      return value(random, 3).getBytes(UTF_8);
    }
    if (kind == 2) {
      // Nested deeper than any parser should follow.
      int depth = 100 + random.nextInt(3_000);
      return ("[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : 0)).getBytes(UTF_8);
    }
    if (kind == 3) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      return bytes;
    }
    byte[] bytes = request.getBytes(UTF_8);
    return switch (kind) {
      case 4 -> truncate(random, bytes);
      case 5 -> corrupt(random, bytes);
      case 6 -> request.getBytes(java.nio.charset.StandardCharsets.UTF_16);
      case 7 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes);
      default -> bytes;
    };
  }

  /** Any JSON value, nested up to {@code depth}. */
  static String value(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 6);
    if (kind < 6) {
      return scalar(random);
    }
    List<String> items = new ArrayList<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      items.add((kind == 6 ? "" : string(randomString(random)) + ": ") + value(random, depth - 1));
    }
    return kind == 6 ? "[" + String.join(", ", items) + "]" : "{" + String.join(", ", items) + "}";
  }

  static String scalar(Random random) {
    return switch (random.nextInt(16)) {
      case 0 -> "null";
      case 1 -> "true";
      case 2 -> "false";
      case 3 -> Long.toString(random.nextLong());
      case 4 -> "99999999999999999999999999";
      case 5 -> "-0";
      case 6 -> "1e400";
      case 7 -> "-1e-400";
      case 8 -> "1" + "0".repeat(1_000 + random.nextInt(2_000));
      case 9 -> Double.toString(random.nextGaussian());
      case 10 -> "NaN"; // not JSON
      case 11 -> "-Infinity"; // not JSON
      case 12 -> string("AAEC");
      case 13 -> string("not base64 !");
      case 14 -> "\"\\ud800\""; // a lone surrogate
      default -> string(randomString(random));
    };
  }

  static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(
          random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x2FFF) : 0x20 + random.nextInt(0x5F));
    }
    return text.toString();
  }

  static String string(String text) {
    return JSON.writeValueAsString(text);
  }

  static String pick(Random random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** A request for a log line: at most 300 characters of its body. */
  static String describe(int seed, String method, String path, String contentType, byte[] body) {
    String text = new String(body, UTF_8);
    return String.format(
        "seed %d: %s %s (Content-Type %s) %s",
        seed,
        method,
        path,
        contentType,
        text.length() > 300 ? text.substring(0, 300) + "..." : text);
  }

  private static byte[] truncate(Random random, byte[] bytes) {
    return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
  }

  /** Overwrites a few bytes with invalid UTF-8 (lone continuation bytes, 0xFF, overlongs). */
  private static byte[] corrupt(Random random, byte[] bytes) {
    byte[] invalid = {(byte) 0x80, (byte) 0xFF, (byte) 0xC0, (byte) 0xC3, (byte) 0xED, 0};
    byte[] copy = bytes.clone();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] = invalid[random.nextInt(invalid.length)];
    }
    return copy;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(first);
    out.writeBytes(second);
    return out.toByteArray();
  }
}
