/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.auth.ApiKeyCheck;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requires the API key of {@code featurestore.yaml} ({@code online.api_key}), when one is set, on
 * every endpoint but health ({@code /health}, {@code /actuator/health}), Prometheus scraping and
 * {@code /freshness}, which shows the facts of the freshness gauges ({@link ApiKeyCheck}: the
 * {@value ApiKeyCheck#HEADER} header or a bearer token); without it, 401. The Netty route of
 * feature lookups ({@link FeatureRoute}) checks it with {@link #rejection}.
 */
public final class ApiKeyFilter implements WebFilter, Ordered {
  private final ApiKeyCheck check;
  private final OnlineMetrics metrics;
  private final JsonMapper json;

  /** A filter applying {@code check}. */
  public ApiKeyFilter(ApiKeyCheck check, OnlineMetrics metrics, JsonMapper json) {
    this.check = check;
    this.metrics = metrics;
    this.json = json;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!check.isRequired()) {
      return chain.filter(exchange);
    }
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (path.equals(HealthController.PATH)
        || path.equals(FreshnessController.PATH)
        || path.startsWith("/actuator/health")
        || path.equals("/actuator/prometheus")) {
      return chain.filter(exchange);
    }
    HttpHeaders headers = exchange.getRequest().getHeaders();
    String detail =
        check.rejection(
            headers.getFirst(ApiKeyCheck.HEADER), headers.getFirst(ApiKeyCheck.AUTHORIZATION));
    if (detail == null) {
      return chain.filter(exchange);
    }
    var response = exchange.getResponse();
    response.setStatusCode(HttpStatus.UNAUTHORIZED);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, ApiKeyCheck.CHALLENGE);
    byte[] body = problem(detail, path);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  /** Why a request with these header values (null when absent) is refused, or null. */
  String rejection(String apiKeyHeader, String authorizationHeader) {
    return check.rejection(apiKeyHeader, authorizationHeader);
  }

  /** The 401 problem detail (JSON) of a refused request, counted as an error. */
  byte[] problem(String detail, String path) {
    metrics.error("UNAUTHORIZED", 401);
    return json.writeValueAsBytes(
        ProblemDetails.of(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", detail, path));
  }
}
