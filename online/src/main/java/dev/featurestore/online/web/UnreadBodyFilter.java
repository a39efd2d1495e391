/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Reads (and drops) the body of a request to a WebFlux endpoint whose method no endpoint reads a
 * body of (anything but POST, e.g. a GET with a body, answered 405) before it is answered. Answered
 * at once with its body unread, such a request left Reactor Netty's keep-alive connection not
 * reading the client's next request, which then waited for the client's timeout
 * (RandomPushRequestsIT: the request after each 405 to a GET with a body; reactor-netty issue 4361,
 * fixed after the 1.3.8 served here).
 */
@Component
class UnreadBodyFilter implements WebFilter, Ordered {
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (HttpMethod.POST.equals(request.getMethod()) || !declaresBody(request.getHeaders())) {
      return chain.filter(exchange);
    }
    return request
        .getBody()
        .doOnNext(DataBufferUtils::release)
        .then(Mono.defer(() -> chain.filter(exchange)));
  }

  private static boolean declaresBody(HttpHeaders headers) {
    return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
  }
}
