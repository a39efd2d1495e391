/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.lookup.RequestException;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details carrying a stable {@code error_code}. */
final class ProblemDetails {
  /** The problem detail property holding the stable error code. */
  static final String ERROR_CODE = "error_code";

  /**
   * The {@code Retry-After} of every 503 (in seconds): Redis unreachable or slow, no registry
   * version loaded yet, {@code /health} failing. Each of these may clear at any moment (a Redis
   * failover, an apply), so a client may retry after a second.
   */
  static final String RETRY_AFTER_SECONDS = "1";

  private ProblemDetails() {}

  static ProblemDetail of(HttpStatusCode status, String code, String detail, String path) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    HttpStatus known = HttpStatus.resolve(status.value());
    problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
    problem.setProperty(ERROR_CODE, code);
    if (path != null) {
      problem.setInstance(URI.create(path));
    }
    return problem;
  }

  /** Sets {@code Retry-After} on the headers of an answer of {@code status} when it is a 503. */
  static void retryAfter(HttpStatusCode status, HttpHeaders headers) {
    if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
      headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
  }

  /** The HTTP status of a feature store error. */
  static HttpStatus status(FeatureStoreException e) {
    ErrorCode code = e.errorCode();
    if (e instanceof RequestException) {
      return code == ErrorCode.LIMIT_EXCEEDED
          ? HttpStatus.CONTENT_TOO_LARGE
          : HttpStatus.BAD_REQUEST;
    }
    return switch (code) {
      case INVALID_DEFINITION, INVALID_ARGUMENT, INVALID_DATA -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case CONFLICT, BREAKING_CHANGE -> HttpStatus.CONFLICT;
      case LIMIT_EXCEEDED -> HttpStatus.CONTENT_TOO_LARGE;
      case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
      case INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
    };
  }

  /** The stable error code for a plain HTTP status (errors raised by the web framework). */
  static String codeOf(HttpStatusCode status) {
    return switch (status.value()) {
      case 400 -> ErrorCode.INVALID_ARGUMENT.name();
      case 401 -> "UNAUTHORIZED";
      case 404 -> ErrorCode.NOT_FOUND.name();
      case 405 -> "METHOD_NOT_ALLOWED";
      case 406 -> "NOT_ACCEPTABLE";
      case 413 -> ErrorCode.LIMIT_EXCEEDED.name();
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      case 503 -> ErrorCode.UNAVAILABLE.name();
      default ->
          status.is4xxClientError()
              ? ErrorCode.INVALID_ARGUMENT.name()
              : ErrorCode.INTERNAL_ERROR.name();
    };
  }
}
