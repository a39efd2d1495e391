/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns every error into an RFC 9457 problem detail with a stable {@code error_code}: feature store
 * USER errors become 4xx, INTERNAL ones 5xx, by {@link ProblemDetails#status}. No stack trace ever
 * reaches a client. {@link #problemFor} is the one mapping of an exception to its answer, for
 * WebFlux's endpoints and for the Netty route of feature lookups ({@link FeatureRoute}); errors of
 * the web framework itself (404, 405 of WebFlux's endpoints) get their code here too. A 503 carries
 * {@code Retry-After} ({@link ProblemDetails#retryAfter}).
 *
 * <p>A problem is always {@code application/problem+json}, whatever the request's {@code Accept}: a
 * type set on the answer bypasses WebFlux's content negotiation, which would otherwise pick {@code
 * text/event-stream} for {@code Accept: text/*}, or fail on an unparseable header and leave the
 * answer to Boot's fallback error body.
 */
@RestControllerAdvice
class ErrorHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  private final OnlineMetrics metrics;

  ErrorHandler(OnlineMetrics metrics) {
    this.metrics = metrics;
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> handle(Exception e, ServerWebExchange exchange) {
    return problemFor(e, String.valueOf(exchange.getRequest().getMethod()), path(exchange));
  }

  /**
   * The problem answer to an error of a request to {@code method path}, counted as an error: a
   * {@link FeatureStoreException} by its code, anything else as an internal error (logged with its
   * stack trace, which stays on the server).
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
    log.error("Unexpected error for {} {}", method, path, e);
    return respond(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ErrorCode.INTERNAL_ERROR.name(),
        "Internal error (" + e.getClass().getSimpleName() + "); the server log has the details",
        path);
  }

  /** A problem detail of {@code status} with a stable code, counted as an error. */
  ProblemDetail problem(HttpStatus status, String code, String message, String path) {
    metrics.error(code, status.value());
    return ProblemDetails.of(status, code, message, path);
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
    if (status.value() == HttpStatus.NOT_FOUND.value()) {
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
    return Mono.just(
        ResponseEntity.status(status)
            .headers(headers)
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(problem));
  }

  private ResponseEntity<ProblemDetail> respond(
      HttpStatus status, String code, String message, String path) {
    HttpHeaders headers = new HttpHeaders();
    ProblemDetails.retryAfter(status, headers);
    return ResponseEntity.status(status)
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem(status, code, message, path));
  }

  private static String path(ServerWebExchange exchange) {
    return exchange.getRequest().getPath().value();
  }
}
