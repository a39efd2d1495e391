/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.config.OnlineProperties;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every error into an RFC 9457 problem detail with a stable {@code error_code}: feature store
 * USER errors become 4xx, INTERNAL ones 5xx; bad JSON and oversized bodies are the client's (400,
 * 413). No stack trace ever reaches a client.
 */
@RestControllerAdvice
class ErrorHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  private final OnlineMetrics metrics;
  private final OnlineProperties properties;

  ErrorHandler(OnlineMetrics metrics, OnlineProperties properties) {
    this.metrics = metrics;
    this.properties = properties;
  }

  @ExceptionHandler({FeatureStoreException.class, DataBufferLimitException.class, Exception.class})
  ResponseEntity<ProblemDetail> handle(Exception e, ServerWebExchange exchange) {
    return problemFor(e, exchange);
  }

  /** The message of a request without a body. */
  static final String MISSING_BODY =
      "Cannot read the request: the request body is missing; send a JSON object";

  /** The problem answer to an error of a request to WebFlux. */
  ResponseEntity<ProblemDetail> problemFor(Throwable error, ServerWebExchange exchange) {
    return problemFor(error, String.valueOf(exchange.getRequest().getMethod()), path(exchange));
  }

  /**
   * The problem answer to an error of a request to {@code method path}: the same whether WebFlux's
   * annotated controller or the Netty route ({@link FeatureRoute}) served it.
   */
  ResponseEntity<ProblemDetail> problemFor(Throwable error, String method, String path) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof FeatureStoreException featureStore) {
      HttpStatus status = ProblemDetails.status(featureStore);
      if (status.is5xxServerError()) {
        log.warn("{} {}: {}", method, path, e.getMessage());
      }
      return respond(status, featureStore.errorCode().name(), e.getMessage(), path);
    }
    if (e instanceof DataBufferLimitException) {
      return respond(
          HttpStatus.CONTENT_TOO_LARGE, ErrorCode.LIMIT_EXCEEDED.name(), tooLargeMessage(), path);
    }
    if (e instanceof JacksonException json) {
      return respond(
          HttpStatus.BAD_REQUEST, ErrorCode.INVALID_ARGUMENT.name(), jsonMessage(json), path);
    }
    if (e instanceof FeatureRoute.MissingBodyException) {
      return respond(HttpStatus.BAD_REQUEST, ErrorCode.INVALID_ARGUMENT.name(), MISSING_BODY, path);
    }
    log.error("Unexpected error for {} {}", method, path, e);
    return respond(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ErrorCode.INTERNAL_ERROR.name(),
        "Internal error (" + e.getClass().getSimpleName() + "); the server log has the details",
        path);
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleServerWebInputException(
      ServerWebInputException e,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof DataBufferLimitException) {
        return Mono.just(
            ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(
                    problem(
                        HttpStatus.CONTENT_TOO_LARGE,
                        ErrorCode.LIMIT_EXCEEDED.name(),
                        tooLargeMessage(),
                        path(exchange))));
      }
      if (cause instanceof JacksonException json) {
        return badRequest(jsonMessage(json), exchange);
      }
    }
    String reason = e.getReason() != null ? e.getReason() : "invalid request";
    if (reason.contains("No request body")) {
      return badRequest(MISSING_BODY, exchange);
    }
    return badRequest("Cannot read the request: " + reason, exchange);
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleExceptionInternal(
      Exception e,
      Object body,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    ProblemDetail problem =
        body instanceof ProblemDetail detail
            ? detail
            : e instanceof ErrorResponse response
                ? response.getBody()
                : ProblemDetail.forStatus(status);
    String code = ProblemDetails.codeOf(status);
    if (status.value() == HttpStatus.CONTENT_TOO_LARGE.value()) {
      problem.setDetail(tooLargeMessage());
    } else if (status.value() == HttpStatus.NOT_FOUND.value()) {
      problem.setDetail(
          "Cannot find "
              + exchange.getRequest().getMethod()
              + " "
              + path(exchange)
              + "; the endpoints are described at /v3/api-docs");
    }
    if (problem.getInstance() == null) {
      problem.setInstance(URI.create(path(exchange)));
    }
    problem.setProperty(ProblemDetails.ERROR_CODE, code);
    metrics.error(code, status.value());
    return Mono.just(ResponseEntity.status(status).headers(headers).body(problem));
  }

  private Mono<ResponseEntity<Object>> badRequest(String message, ServerWebExchange exchange) {
    return Mono.just(
        ResponseEntity.badRequest()
            .body(
                problem(
                    HttpStatus.BAD_REQUEST,
                    ErrorCode.INVALID_ARGUMENT.name(),
                    message,
                    path(exchange))));
  }

  private ResponseEntity<ProblemDetail> respond(
      HttpStatus status, String code, String message, String path) {
    return ResponseEntity.status(status).body(problem(status, code, message, path));
  }

  private ProblemDetail problem(HttpStatus status, String code, String message, String path) {
    metrics.error(code, status.value());
    return ProblemDetails.of(status, code, message, path);
  }

  private String tooLargeMessage() {
    return "Cannot read the request: the body is larger than the limit of "
        + properties.maxRequestSize().toBytes()
        + " bytes (featurestore.max-request-size)";
  }

  /** Describes a JSON error in the client's terms: where, which field, what was expected. */
  static String jsonMessage(JacksonException json) {
    StringBuilder field = new StringBuilder();
    for (JacksonException.Reference reference : json.getPath()) {
      if (reference.getPropertyName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    String where =
        json.getLocation() != null && json.getLocation().getLineNr() > 0
            ? String.format(
                " at line %d, column %d",
                json.getLocation().getLineNr(), json.getLocation().getColumnNr())
            : "";
    if (json instanceof MismatchedInputException mismatch
        && mismatch.getTargetType() != null
        && field.length() > 0) {
      return "Cannot parse the request body"
          + where
          + ": '"
          + field
          + "' must be "
          + jsonKind(mismatch.getTargetType());
    }
    String message = String.valueOf(json.getOriginalMessage());
    int source = message.indexOf(" (start marker at [Source");
    if (source >= 0) {
      message = message.substring(0, source);
    }
    return "Cannot parse the request body as JSON" + where + ": " + message;
  }

  private static String jsonKind(Class<?> type) {
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a " + type.getSimpleName();
  }

  private static String path(ServerWebExchange exchange) {
    return exchange.getRequest().getPath().value();
  }
}
