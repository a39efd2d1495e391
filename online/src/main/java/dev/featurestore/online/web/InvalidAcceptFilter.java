/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import java.util.List;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The one rule for an {@code Accept} header that does not parse as media ranges: it is ignored, as
 * if absent (RFC 9110 lets a server disregard a malformed header; Feast's server reads no {@code
 * Accept} at all). For WebFlux's endpoints this filter removes it, as WebFlux would otherwise fail
 * the request and, in the middle of writing the error, leave an empty answer; the Netty route of
 * feature lookups reads it with {@link #mediaTypes}.
 */
@Component
class InvalidAcceptFilter implements WebFilter, Ordered {
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 1;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    List<String> accept = exchange.getRequest().getHeaders().get(HttpHeaders.ACCEPT);
    if (accept == null || mediaTypes(accept).isPresent()) {
      return chain.filter(exchange);
    }
    return chain.filter(
        exchange
            .mutate()
            .request(request -> request.headers(headers -> headers.remove(HttpHeaders.ACCEPT)))
            .build());
  }

  /** The media ranges of a request's {@code Accept} header values, empty when they do not parse. */
  static Optional<List<MediaType>> mediaTypes(List<String> accept) {
    try {
      return Optional.of(MediaType.parseMediaTypes(accept));
    } catch (InvalidMediaTypeException e) {
      return Optional.empty();
    }
  }
}
