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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serving path of {@code POST /get-online-features}: a functional route ahead of the annotated
 * {@link FeatureController}, which reads the body with the service's JSON mapper and streams the
 * answer into a response buffer ({@link ResponseWriter}). The annotated path resolved the handler
 * method, its arguments and codecs for every request, about a quarter of the CPU of a 1-entity
 * lookup. Answers, status codes and problem details are the controller's: errors go through the
 * same {@link ErrorHandler} methods, and requests the route does not take (another method, an
 * {@code Accept} that excludes JSON) still reach the controller, which answers 405 or 406 as
 * before.
 */
@Configuration(proxyBeanMethods = false)
class FeatureRoute {
  private final OnlineFeatureService service;
  private final ErrorHandler errors;
  private final ResponseWriter writer;
  private final ObjectReader reader;
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
    this.maxRequestSize = (int) Math.min(Integer.MAX_VALUE, properties.maxRequestSize().toBytes());
  }

  @Bean
  RouterFunction<ServerResponse> getOnlineFeaturesRoute() {
    return RouterFunctions.route(
        RequestPredicates.POST("/get-online-features")
            .and(RequestPredicates.accept(MediaType.APPLICATION_JSON)),
        this::getOnlineFeatures);
  }

  Mono<ServerResponse> getOnlineFeatures(ServerRequest request) {
    return DataBufferUtils.join(request.exchange().getRequest().getBody(), maxRequestSize)
        .map(this::parse)
        .switchIfEmpty(Mono.error(MissingBodyException::new))
        .flatMap(body -> Mono.fromFuture(() -> service.lookup(body)))
        .flatMap(
            answer ->
                ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(
                        (message, context) -> message.writeWith(Mono.just(json(answer, message)))))
        .onErrorResume(error -> problem(errors.problemFor(error, request.exchange())));
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
  private DataBuffer json(GetOnlineFeaturesResponse answer, ReactiveHttpOutputMessage message) {
    DataBuffer buffer = message.bufferFactory().allocateBuffer(1024);
    try {
      writer.write(answer, buffer.asOutputStream());
    } catch (RuntimeException e) {
      DataBufferUtils.release(buffer);
      throw e;
    }
    message.getHeaders().setContentLength(buffer.readableByteCount());
    return buffer;
  }

  private static Mono<ServerResponse> problem(ResponseEntity<ProblemDetail> problem) {
    return ServerResponse.status(problem.getStatusCode())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyValue(problem.getBody());
  }

  /** A request without a body (or with a JSON {@code null}). */
  static final class MissingBodyException extends RuntimeException {
    MissingBodyException() {
      super(ErrorHandler.MISSING_BODY, null, false, false);
    }
  }
}
