/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Times {@code POST /get-online-features} requests that WebFlux serves (those the Netty route
 * {@link FeatureRoute} leaves to it: another {@code Accept}, a base path) into Spring's {@code
 * http.server.requests} timer, with the tags Spring's observation gives it, from meters registered
 * once ({@link OnlineMetrics#featureRequest}), as the route times its own. Spring's per-request
 * observation is switched off for that path ({@link #notFeatureRequests()}), so each request is
 * counted once. Runs first, so it times every answer to the path: 401, 406 and errors too.
 */
public final class FeatureRequestTimer implements WebFilter, Ordered {
  static final String PATH = "/get-online-features";

  private final OnlineMetrics metrics;

  public FeatureRequestTimer(OnlineMetrics metrics) {
    this.metrics = metrics;
  }

  /** Spring's {@code http.server.requests} observations, except for the requests timed here. */
  public static ObservationPredicate notFeatureRequests() {
    return (name, context) ->
        !(context instanceof ServerRequestObservationContext server
            && isFeatureRequest(server.getCarrier()));
  }

  static boolean isFeatureRequest(ServerHttpRequest request) {
    return request.getMethod() == HttpMethod.POST
        && PATH.equals(request.getPath().pathWithinApplication().value());
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!isFeatureRequest(exchange.getRequest())) {
      return chain.filter(exchange);
    }
    long start = System.nanoTime();
    return chain
        .filter(exchange)
        .doFinally(
            signal -> {
              // A request the client gave up on has no answer to count (as with Spring's).
              if (signal != SignalType.CANCEL) {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                int code =
                    status != null ? status.value() : signal == SignalType.ON_ERROR ? 500 : 200;
                metrics.featureRequest(code, System.nanoTime() - start);
              }
            });
  }
}
