/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.auth.ApiKeyCheck;
import dev.featurestore.online.config.OnlineProperties;
import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one serving path of {@code POST /get-online-features}: a Reactor Netty route of the embedded
 * server, ahead of the route to WebFlux, which answers every request to the path itself. WebFlux's
 * layers (the server exchange, the web filter chain, the dispatcher, the codecs) cost more CPU than
 * the lookup itself for one entity, so the route does their part, once:
 *
 * <ul>
 *   <li>the API key check ({@link ApiKeyFilter#rejection}), first, as for WebFlux's endpoints;
 *   <li>another method answers 405 ({@code OPTIONS} 200), both with {@code Allow};
 *   <li>an {@code Accept} header that excludes JSON answers 406 without a body ({@link
 *       #acceptsJson}; one that does not parse is ignored);
 *   <li>the body size limit ({@code featurestore.max-request-size}), checked against {@code
 *       Content-Length} before reading and while reading;
 *   <li>the body read as JSON whatever its {@code Content-Type}, as Feast's server did up to 0.41
 *       (its documented {@code curl -d '{...}'} examples send a form content type; since 0.42 it
 *       answers 422 to any but a JSON type);
 *   <li>the answer streamed into a response buffer ({@link ResponseWriter});
 *   <li>errors answered by {@link ErrorHandler#problemFor}, as WebFlux's endpoints' errors;
 *   <li>every answer timed into {@code http.server.requests} ({@link OnlineMetrics.RequestTimer}).
 * </ul>
 *
 * With {@code spring.webflux.base-path} set, the path is under it, as WebFlux's endpoints are. The
 * OpenAPI description of the endpoint is {@link FeatureRouteApi}.
 */
@Component
class FeatureRoute implements NettyRouteProvider {
  /** The endpoint's path, under {@code spring.webflux.base-path} when that is set. */
  static final String PATH = "/get-online-features";

  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

  private final OnlineFeatureService service;
  private final ErrorHandler errors;
  private final ApiKeyFilter apiKey;
  private final OnlineMetrics metrics;
  private final OnlineMetrics.RequestTimer timer;
  private final ResponseWriter writer;
  private final ObjectReader reader;
  private final JsonMapper json;
  private final long maxRequestSize;
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
    this.timer = metrics.requestTimer(PATH);
    this.writer = new ResponseWriter(json);
    this.reader = json.readerFor(GetOnlineFeaturesRequest.class);
    this.json = json;
    this.maxRequestSize = properties.maxRequestSize().toBytes();
    // Spring Boot's cleaned spring.webflux.base-path (null when unset), the prefix WebFlux serves
    // under.
    this.path = Objects.requireNonNullElse(webFlux.getBasePath(), "") + PATH;
  }

  @Override
  public HttpServerRoutes apply(HttpServerRoutes routes) {
    return routes.route(request -> path.equals(path(request)), this::serve);
  }

  /**
   * Whether the request takes JSON, as {@code RequestPredicates.accept(APPLICATION_JSON)}; an
   * {@code Accept} header that does not parse is ignored ({@link InvalidAcceptFilter}).
   */
  static boolean acceptsJson(List<String> accept) {
    if (accept.isEmpty()
        || (accept.size() == 1 && (accept.get(0).equals(JSON) || accept.get(0).equals("*/*")))) {
      return true;
    }
    return InvalidAcceptFilter.mediaTypes(accept)
        .map(types -> types.stream().anyMatch(MediaType.APPLICATION_JSON::isCompatibleWith))
        .orElse(true);
  }

  private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
    long start = System.nanoTime();
    String method = request.method().name();
    return response
        .send(answer(request, response))
        .then()
        .doFinally(
            signal -> {
              // A request the client gave up on has no answer to count (as with Spring's timer).
              if (signal != SignalType.CANCEL) {
                timer.record(method, response.status().code(), System.nanoTime() - start);
              }
            });
  }

  private Mono<ByteBuf> answer(HttpServerRequest request, HttpServerResponse response) {
    String rejected =
        apiKey.rejection(
            request.requestHeaders().get(ApiKeyCheck.HEADER),
            request.requestHeaders().get(ApiKeyCheck.AUTHORIZATION));
    if (rejected != null) {
      response.header(HttpHeaderNames.WWW_AUTHENTICATE, ApiKeyCheck.CHALLENGE);
      return Mono.fromSupplier(
          () -> body(response, 401, PROBLEM_JSON, apiKey.problem(rejected, path(request))));
    }
    if (!HttpMethod.POST.equals(request.method())) {
      return Mono.fromSupplier(() -> otherMethod(request, response));
    }
    if (!acceptsJson(request.requestHeaders().getAll(HttpHeaderNames.ACCEPT))) {
      // The client takes no JSON, so no problem detail either.
      return Mono.fromSupplier(
          () -> {
            metrics.error(ProblemDetails.codeOf(HttpStatus.NOT_ACCEPTABLE), 406);
            return body(response, 406, JSON, Unpooled.EMPTY_BUFFER);
          });
    }
    return body(request)
        .map(this::parse)
        .flatMap(lookup -> Mono.fromFuture(() -> service.lookup(lookup)))
        .map(found -> json(found, response))
        .onErrorResume(error -> Mono.fromSupplier(() -> problem(error, request, response)));
  }

  /** The answer to a method other than POST: 200 with {@code Allow} for OPTIONS, else 405. */
  private ByteBuf otherMethod(HttpServerRequest request, HttpServerResponse response) {
    if (HttpMethod.OPTIONS.equals(request.method())) {
      response.header(HttpHeaderNames.ALLOW, "POST,OPTIONS");
      return body(response, 200, JSON, Unpooled.EMPTY_BUFFER);
    }
    response.header(HttpHeaderNames.ALLOW, "POST");
    ProblemDetail problem =
        errors.problem(
            HttpStatus.METHOD_NOT_ALLOWED,
            ProblemDetails.codeOf(HttpStatus.METHOD_NOT_ALLOWED),
            String.format(
                "Cannot serve %s %s: it takes POST with a JSON body",
                request.method().name(), PATH),
            path(request));
    return body(response, 405, PROBLEM_JSON, json.writeValueAsBytes(problem));
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
      return Mono.error(tooLarge());
    }
    int expected = (int) Math.max(declared, 256);
    return Mono.defer(
        () -> {
          Body body = new Body(expected, (int) Math.min(Integer.MAX_VALUE, maxRequestSize));
          // Reactor Netty releases each part after handing it over, so no operator here may
          // discard one: an operator that fails on a part (a collector throwing at the limit)
          // discards it, and so do count() and then(), releasing it a second time (two
          // IllegalReferenceCountException stack traces in the log). takeWhile copies each part
          // and stops reading, without discarding, at the first one over the limit; collect then
          // keeps nothing more.
          return request
              .receive()
              .takeWhile(body::append)
              .collect(() -> body, (read, part) -> {})
              .map(
                  read -> {
                    if (read.overflowed) {
                      throw tooLarge();
                    }
                    return read;
                  });
        });
  }

  private FeatureStoreException tooLarge() {
    return FeatureStoreException.of(
        ErrorCode.LIMIT_EXCEEDED,
        "Cannot read the request: the body is larger than the limit of %d bytes"
            + " (featurestore.max-request-size)",
        maxRequestSize);
  }

  private GetOnlineFeaturesRequest parse(Body body) {
    GetOnlineFeaturesRequest parsed;
    try {
      parsed = body.size == 0 ? null : reader.readValue(body.bytes, 0, body.size);
    } catch (JacksonException e) {
      throw new FeatureStoreException(ErrorCode.INVALID_ARGUMENT, JsonErrors.message(e), e);
    }
    if (parsed == null) {
      // No body, or a JSON null.
      throw new FeatureStoreException(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot read the request: the request body is missing; send a JSON object");
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
    private boolean overflowed;

    Body(int expected, int limit) {
      this.bytes = new byte[Math.min(expected, limit)];
      this.limit = limit;
    }

    /** Copies a part of the body; false, copying nothing, when it would pass the limit. */
    boolean append(ByteBuf part) {
      int length = part.readableBytes();
      if (length > limit - size) {
        overflowed = true;
        return false;
      }
      if (size + length > bytes.length) {
        bytes =
            Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(2L * bytes.length, size + length)));
      }
      part.getBytes(part.readerIndex(), bytes, size, length);
      size += length;
      return true;
    }
  }
}
