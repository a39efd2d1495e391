/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rule of the service's API key ({@code online.api_key} of {@code featurestore.yaml}), for
 * every protocol: a request carries it in the {@value #HEADER} header or as {@code Authorization:
 * Bearer <key>} (HTTP headers or gRPC metadata, which have the same names); without a configured
 * key every request is let through. Keys are compared in constant time.
 */
public final class ApiKeyCheck {
  /** The request header (or gRPC metadata key) carrying the API key. */
  public static final String HEADER = "X-API-Key";

  /** The standard header (or gRPC metadata key) that may carry the key as a bearer token. */
  public static final String AUTHORIZATION = "Authorization";

  /** The {@code WWW-Authenticate} challenge of an HTTP 401. */
  public static final String CHALLENGE = "ApiKey header=\"" + HEADER + "\", Bearer";

  private static final String BEARER = "bearer ";

  private final byte[] key;

  /** A check requiring {@code key}, or letting every request through when it is empty. */
  public ApiKeyCheck(Optional<String> key) {
    this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  /** Whether a key is configured, so requests must carry it. */
  public boolean isRequired() {
    return key != null;
  }

  /**
   * Why a request with these header values (each null when absent) is refused, or null when it is
   * let through. The {@value #HEADER} header is checked first; a bearer token is checked when that
   * header is absent.
   */
  public String rejection(String apiKeyHeader, String authorizationHeader) {
    if (key == null) {
      return null;
    }
    String given = apiKeyHeader;
    String from = "the " + HEADER + " header";
    if (given == null && authorizationHeader != null) {
      if (!authorizationHeader.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
        return "Cannot authenticate: the Authorization header is not 'Bearer <key>'; send the API"
            + " key of featurestore.yaml (online.api_key) as a bearer token or in the "
            + HEADER
            + " header";
      }
      given = authorizationHeader.substring(BEARER.length()).strip();
      from = "the bearer token";
    }
    if (given == null) {
      return "Cannot authenticate: the "
          + HEADER
          + " header is missing; send the API key of featurestore.yaml (online.api_key) in it or"
          + " as 'Authorization: Bearer <key>'";
    }
    if (MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    return "Cannot authenticate: " + from + " does not match the configured API key";
  }
}
