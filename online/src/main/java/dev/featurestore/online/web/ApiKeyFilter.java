/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requires the API key of {@code featurestore.yaml} ({@code online.api_key}), when one is set, in
 * the {@value #HEADER} header on every endpoint but health and Prometheus scraping; without it,
 * 401. The Netty route of feature lookups ({@link FeatureRoute}) checks it with {@link #rejection}.
 */
public final class ApiKeyFilter implements WebFilter, Ordered {
  /** The request header carrying the API key. */
  public static final String HEADER = "X-API-Key";

  /** The {@code WWW-Authenticate} header of a 401. */
  static final String CHALLENGE = "ApiKey header=\"" + HEADER + "\"";

  private final byte[] key;
  private final OnlineMetrics metrics;
  private final JsonMapper json;

  /** A filter requiring {@code key}, or letting every request through when it is empty. */
  public ApiKeyFilter(Optional<String> key, OnlineMetrics metrics, JsonMapper json) {
    this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
    this.metrics = metrics;
    this.json = json;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (key == null) {
      return chain.filter(exchange);
    }
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (path.startsWith("/actuator/health") || path.equals("/actuator/prometheus")) {
      return chain.filter(exchange);
    }
    String detail = rejection(exchange.getRequest().getHeaders().getFirst(HEADER));
    if (detail == null) {
      return chain.filter(exchange);
    }
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatus.UNAUTHORIZED);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getHeaders().set("WWW-Authenticate", CHALLENGE);
    byte[] body = problem(detail, path);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  /**
   * Why a request with this {@value #HEADER} header value (null when absent) is refused, or null
   * when it is let through.
   */
  String rejection(String given) {
    if (key == null
        || (given != null && MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8)))) {
      return null;
    }
    return given == null
        ? "Cannot authenticate: the "
            + HEADER
            + " header is missing; send the API key of featurestore.yaml (online.api_key)"
        : "Cannot authenticate: the " + HEADER + " header does not match the configured API key";
  }

  /** The 401 problem detail (JSON) of a refused request, counted as an error. */
  byte[] problem(String detail, String path) {
    metrics.error("UNAUTHORIZED", 401);
    return json.writeValueAsBytes(
        ProblemDetails.of(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", detail, path));
  }
}
