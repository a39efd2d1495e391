/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requires the API key of {@code featurestore.yaml} ({@code online.api_key}) in the {@value
 * #HEADER} header on every endpoint but health and Prometheus scraping; without it, 401.
 */
public final class ApiKeyFilter implements WebFilter, Ordered {
  /** The request header carrying the API key. */
  public static final String HEADER = "X-API-Key";

  private final byte[] key;
  private final OnlineMetrics metrics;
  private final JsonMapper json;

  public ApiKeyFilter(String key, OnlineMetrics metrics, JsonMapper json) {
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.metrics = metrics;
    this.json = json;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (path.startsWith("/actuator/health") || path.equals("/actuator/prometheus")) {
      return chain.filter(exchange);
    }
    String given = exchange.getRequest().getHeaders().getFirst(HEADER);
    if (given != null && MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
      return chain.filter(exchange);
    }
    String detail =
        given == null
            ? "Cannot authenticate: the "
                + HEADER
                + " header is missing; send the API key of"
                + " featurestore.yaml (online.api_key)"
            : "Cannot authenticate: the "
                + HEADER
                + " header does not match the configured API key";
    metrics.error("UNAUTHORIZED", 401);
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatus.UNAUTHORIZED);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getHeaders().set("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
    byte[] body =
        json.writeValueAsBytes(
            ProblemDetails.of(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", detail, path));
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }
}
