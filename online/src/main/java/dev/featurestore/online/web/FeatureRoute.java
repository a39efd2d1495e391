/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.config.OnlineProperties;
import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.OnlineFeatureService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serving path of {@code POST /get-online-features}: a Reactor Netty route of the embedded
 * server, ahead of the route to WebFlux. WebFlux's layers (the server exchange, the web filter
 * chain, the dispatcher, the codecs) cost more CPU than the lookup itself for one entity, so this
 * route does their part itself:
 *
 * <ul>
 *   <li>the API key check ({@link ApiKeyFilter#rejection});
 *   <li>the body size limit ({@code featurestore.max-request-size}), checked against {@code
 *       Content-Length} before reading and while reading;
 *   <li>the body read as JSON whatever its {@code Content-Type}, as Feast's server does;
 *   <li>the answer streamed into a response buffer ({@link ResponseWriter});
 *   <li>errors answered by {@link ErrorHandler#problemFor}, as WebFlux's handlers answer them;
 *   <li>the request timed into {@code http.server.requests} ({@link OnlineMetrics#featureRequest}).
 * </ul>
 *
 * Requests it does not take reach WebFlux and the annotated {@link FeatureController}, which answer
 * them as before: another method (405), an {@code Accept} header that excludes JSON (406). With
 * {@code spring.webflux.base-path} set, the route's path is under it, as the controller's.
 */
@Component
class FeatureRoute implements NettyRouteProvider {
  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

  private final OnlineFeatureService service;
  private final ErrorHandler errors;
  private final ApiKeyFilter apiKey;
  private final OnlineMetrics metrics;
  private final ResponseWriter writer;
  private final ObjectReader reader;
  private final JsonMapper json;
  private final int maxRequestSize;
  private final String path;

  FeatureRoute(
      OnlineFeatureService service,
      ErrorHandler errors,
      ApiKeyFilter apiKey,
      OnlineMetrics metrics,
      JsonMapper json,
      OnlineProperties properties,
      WebFluxProperties webFlux) {
    this.service = service;
    this.errors = errors;
    this.apiKey = apiKey;
    this.metrics = metrics;
    this.writer = new ResponseWriter(json);
    this.reader = json.readerFor(GetOnlineFeaturesRequest.class);
    this.json = json;
    this.maxRequestSize = (int) Math.min(Integer.MAX_VALUE, properties.maxRequestSize().toBytes());
    // Spring Boot's cleaned spring.webflux.base-path (null when unset), the prefix WebFlux serves
    // under.
    this.path = Objects.requireNonNullElse(webFlux.getBasePath(), "") + FeatureRequestTimer.PATH;
  }

  @Override
  public HttpServerRoutes apply(HttpServerRoutes routes) {
    return routes.route(this::takes, this::serve);
  }

  /** Whether this route answers the request: the method, the exact path, and JSON accepted. */
  boolean takes(HttpServerRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      return false;
    }
    return path.equals(path(request))
        && acceptsJson(request.requestHeaders().getAll(HttpHeaderNames.ACCEPT));
  }

  /** Whether the request takes JSON, as {@code RequestPredicates.accept(APPLICATION_JSON)}. */
  static boolean acceptsJson(List<String> accept) {
    if (accept.isEmpty()
        || (accept.size() == 1 && (accept.get(0).equals(JSON) || accept.get(0).equals("*/*")))) {
      return true;
    }
    try {
      for (MediaType type : MediaType.parseMediaTypes(accept)) {
        if (MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
          return true;
        }
      }
      return false;
    } catch (InvalidMediaTypeException e) {
      return false; // WebFlux answers it (406)
    }
  }

  private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
    long start = System.nanoTime();
    String rejected = apiKey.rejection(request.requestHeaders().get(ApiKeyFilter.HEADER));
    Mono<ByteBuf> answer;
    if (rejected != null) {
      response.header(HttpHeaderNames.WWW_AUTHENTICATE, ApiKeyFilter.CHALLENGE);
      answer =
          Mono.fromSupplier(
              () -> body(response, 401, PROBLEM_JSON, apiKey.problem(rejected, path(request))));
    } else {
      answer =
          body(request)
              .map(this::parse)
              .flatMap(lookup -> Mono.fromFuture(() -> service.lookup(lookup)))
              .map(found -> json(found, response))
              .onErrorResume(error -> Mono.fromSupplier(() -> problem(error, request, response)));
    }
    return response
        .send(answer)
        .then()
        .doFinally(
            signal -> {
              // A request the client gave up on has no answer to count (as with Spring's timer).
              if (signal != SignalType.CANCEL) {
                metrics.featureRequest(response.status().code(), System.nanoTime() - start);
              }
            });
  }

  /** The request body, refused past the size limit. */
  private Mono<Body> body(HttpServerRequest request) {
    long declared;
    try {
      String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
      declared = length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      declared = -1; // Netty's decoder refuses a malformed Content-Length before this
    }
    if (declared > maxRequestSize) {
      return Mono.error(new DataBufferLimitException("Content-Length " + declared));
    }
    int expected = (int) Math.max(declared, 256);
    return request.receive().collect(() -> new Body(expected, maxRequestSize), Body::append);
  }

  private GetOnlineFeaturesRequest parse(Body body) {
    if (body.size == 0) {
      throw new MissingBodyException();
    }
    GetOnlineFeaturesRequest parsed = reader.readValue(body.bytes, 0, body.size);
    if (parsed == null) {
      throw new MissingBodyException();
    }
    return parsed;
  }

  /** The answer as JSON in a (pooled) buffer of the response. */
  private ByteBuf json(GetOnlineFeaturesResponse found, HttpServerResponse response) {
    ByteBuf buffer = response.alloc().buffer(1024);
    try {
      writer.write(found, new ByteBufOutputStream(buffer));
    } catch (RuntimeException e) {
      buffer.release();
      throw e;
    }
    return body(response, 200, JSON, buffer);
  }

  /** A problem answer: its status, headers and JSON body. */
  private ByteBuf problem(Throwable error, HttpServerRequest request, HttpServerResponse response) {
    ResponseEntity<ProblemDetail> problem =
        errors.problemFor(error, request.method().name(), path(request));
    for (Map.Entry<String, List<String>> header : problem.getHeaders().headerSet()) {
      response.header(header.getKey(), String.join(", ", header.getValue()));
    }
    return body(
        response,
        problem.getStatusCode().value(),
        PROBLEM_JSON,
        json.writeValueAsBytes(problem.getBody()));
  }

  private static ByteBuf body(HttpServerResponse response, int status, String type, byte[] bytes) {
    return body(response, status, type, Unpooled.wrappedBuffer(bytes));
  }

  private static ByteBuf body(HttpServerResponse response, int status, String type, ByteBuf body) {
    response
        .status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, type)
        .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.readableBytes()));
    return body;
  }

  /** The request's path, without its query. */
  private static String path(HttpServerRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  /** A request body read so far, at most the size limit. */
  private static final class Body {
    private final int limit;
    private byte[] bytes;
    private int size;

    Body(int expected, int limit) {
      this.bytes = new byte[Math.min(expected, limit)];
      this.limit = limit;
    }

    void append(ByteBuf part) {
      int length = part.readableBytes();
      if (length > limit - size) {
        throw new DataBufferLimitException("Exceeded limit on max bytes to buffer : " + limit);
      }
      if (size + length > bytes.length) {
        bytes =
            Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(2L * bytes.length, size + length)));
      }
      part.getBytes(part.readerIndex(), bytes, size, length);
      size += length;
    }
  }

  /** A request without a body (or with a JSON {@code null}). */
  static final class MissingBodyException extends RuntimeException {
    MissingBodyException() {
      super(ErrorHandler.MISSING_BODY, null, false, false);
    }
  }
}
