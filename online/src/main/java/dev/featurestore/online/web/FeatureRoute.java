/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.config.OnlineProperties;
import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.OnlineFeatureService;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serving path of {@code POST /get-online-features}: a web filter after the API key check that
 * answers the request itself, ahead of WebFlux's dispatcher and the annotated {@link
 * FeatureController}. It reads the body with the service's JSON mapper and streams the answer into
 * a response buffer ({@link ResponseWriter}). The dispatcher (handler mappings, handler adapters,
 * result handlers, and before that the annotated method's argument resolution and codecs) cost more
 * CPU than the lookup itself for one entity. Answers, status codes and problem details are the
 * controller's: errors go through the same {@link ErrorHandler} methods, and requests the filter
 * does not take (another method, an {@code Accept} that excludes JSON) still reach the controller,
 * which answers 405 or 406 as before.
 */
@Component
class FeatureRoute implements WebFilter, Ordered {
  private final OnlineFeatureService service;
  private final ErrorHandler errors;
  private final ResponseWriter writer;
  private final ObjectReader reader;
  private final JsonMapper json;
  private final int maxRequestSize;

  FeatureRoute(
      OnlineFeatureService service,
      ErrorHandler errors,
      JsonMapper json,
      OnlineProperties properties) {
    this.service = service;
    this.errors = errors;
    this.writer = new ResponseWriter(json);
    this.reader = json.readerFor(GetOnlineFeaturesRequest.class);
    this.json = json;
    this.maxRequestSize = (int) Math.min(Integer.MAX_VALUE, properties.maxRequestSize().toBytes());
  }

  @Override
  public int getOrder() {
    // After the API key check (ApiKeyFilter) and the content type fix-up (JsonBodyFilter).
    return Ordered.HIGHEST_PRECEDENCE + 30;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!FeatureRequestTimer.isFeatureRequest(request) || !acceptsJson(request)) {
      return chain.filter(exchange);
    }
    ServerHttpResponse response = exchange.getResponse();
    Mono<DataBuffer> body =
        DataBufferUtils.join(request.getBody(), maxRequestSize)
            .map(this::parse)
            .switchIfEmpty(Mono.error(MissingBodyException::new))
            .flatMap(lookup -> Mono.fromFuture(() -> service.lookup(lookup)))
            .map(answer -> json(answer, response))
            .onErrorResume(
                error ->
                    Mono.fromSupplier(() -> problem(errors.problemFor(error, exchange), response)));
    return response.writeWith(body);
  }

  /** Whether the request takes JSON, as {@code RequestPredicates.accept(APPLICATION_JSON)}. */
  private static boolean acceptsJson(ServerHttpRequest request) {
    try {
      List<MediaType> accepted = request.getHeaders().getAccept();
      if (accepted.isEmpty()) {
        return true;
      }
      for (MediaType type : accepted) {
        if (MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
          return true;
        }
      }
      return false;
    } catch (InvalidMediaTypeException e) {
      return false; // the controller answers it
    }
  }

  private GetOnlineFeaturesRequest parse(DataBuffer buffer) {
    try (InputStream in = buffer.asInputStream(true)) {
      if (buffer.readableByteCount() == 0) {
        throw new MissingBodyException();
      }
      GetOnlineFeaturesRequest body = reader.readValue(in);
      if (body == null) {
        throw new MissingBodyException();
      }
      return body;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The answer as JSON in a (pooled) buffer of the response, its length as Content-Length. */
  private DataBuffer json(GetOnlineFeaturesResponse answer, ServerHttpResponse response) {
    DataBuffer buffer = response.bufferFactory().allocateBuffer(1024);
    try {
      writer.write(answer, buffer.asOutputStream());
    } catch (RuntimeException e) {
      DataBufferUtils.release(buffer);
      throw e;
    }
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    response.getHeaders().setContentLength(buffer.readableByteCount());
    return buffer;
  }

  /** A problem answer: its status, headers and JSON body. */
  private DataBuffer problem(ResponseEntity<ProblemDetail> problem, ServerHttpResponse response) {
    byte[] bytes = json.writeValueAsBytes(problem.getBody());
    response.setStatusCode(problem.getStatusCode());
    response.getHeaders().putAll(problem.getHeaders());
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getHeaders().setContentLength(bytes.length);
    return response.bufferFactory().wrap(bytes);
  }

  /** A request without a body (or with a JSON {@code null}). */
  static final class MissingBodyException extends RuntimeException {
    MissingBodyException() {
      super(ErrorHandler.MISSING_BODY, null, false, false);
    }
  }
}
