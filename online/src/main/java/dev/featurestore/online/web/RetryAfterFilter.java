/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every 503 of WebFlux's endpoints {@code Retry-After} ({@link ProblemDetails#retryAfter}),
 * whoever answered it (the error handler, {@code /health}, the actuator's health endpoints); the
 * Netty route of feature lookups gets it from {@link ErrorHandler#problemFor}.
 */
@Component
class RetryAfterFilter implements WebFilter, Ordered {
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpResponse response = exchange.getResponse();
    response.beforeCommit(
        () -> {
          HttpStatusCode status = response.getStatusCode();
          if (status != null) {
            ProblemDetails.retryAfter(status, response.getHeaders());
          }
          return Mono.empty();
        });
    return chain.filter(exchange);
  }
}
