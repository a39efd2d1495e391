/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Reads every {@code POST /get-online-features} body as JSON whatever its Content-Type, as Feast's
 * server does: its documented {@code curl -d '{...}'} examples send {@code
 * application/x-www-form-urlencoded}.
 */
public final class JsonBodyFilter implements WebFilter, Ordered {
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 20;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    MediaType type = request.getHeaders().getContentType();
    if (request.getMethod() == HttpMethod.POST
        && request.getPath().pathWithinApplication().value().equals("/get-online-features")
        && (type == null || !type.isCompatibleWith(MediaType.APPLICATION_JSON))) {
      ServerHttpRequest json =
          request.mutate().headers(h -> h.setContentType(MediaType.APPLICATION_JSON)).build();
      return chain.filter(exchange.mutate().request(json).build());
    }
    return chain.filter(exchange);
  }
}
