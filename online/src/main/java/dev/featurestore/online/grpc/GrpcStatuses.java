/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping of the feature store's errors to gRPC status codes, by error code (the REST
 * endpoint's statuses come from the same codes). The status description is the error's message, as
 * REST's problem detail carries it, and the {@value #ERROR_CODE} trailer carries the code.
 */
final class GrpcStatuses {
  private static final Logger log = LoggerFactory.getLogger(GrpcStatuses.class);

  /** The trailer with the stable error code, as REST's {@code error_code}. */
  static final Metadata.Key<String> ERROR_CODE =
      Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Every error code's gRPC status. Unlike REST, which answers 400 for every bad request (an
   * unknown feature in a request body included), gRPC's NOT_FOUND is its own code for a named thing
   * that does not exist, so an unknown view, feature, service or project answers NOT_FOUND.
   */
  static final Map<ErrorCode, Status.Code> CODES = codes();

  private GrpcStatuses() {}

  private static Map<ErrorCode, Status.Code> codes() {
    Map<ErrorCode, Status.Code> codes = new EnumMap<>(ErrorCode.class);
    for (ErrorCode code : ErrorCode.values()) {
      codes.put(
          code,
          switch (code) {
            case INVALID_DEFINITION, INVALID_ARGUMENT, INVALID_DATA -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case CONFLICT -> Status.Code.ABORTED;
            case BREAKING_CHANGE -> Status.Code.FAILED_PRECONDITION;
            case LIMIT_EXCEEDED -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case INTERNAL_ERROR -> Status.Code.INTERNAL;
          });
    }
    return Map.copyOf(codes);
  }

  /**
   * The answer to a failed call: a feature store error by its code and with its message; anything
   * else INTERNAL, logged with its stack trace, which stays on the server.
   */
  static StatusRuntimeException of(Throwable error, String method) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Metadata trailers = new Metadata();
    if (e instanceof FeatureStoreException featureStore) {
      Status.Code code = CODES.get(featureStore.errorCode());
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.INTERNAL) {
        log.warn("gRPC {}: {}", method, e.getMessage());
      }
      trailers.put(ERROR_CODE, featureStore.errorCode().name());
      return Status.fromCode(code).withDescription(e.getMessage()).asRuntimeException(trailers);
    }
    log.error("Unexpected error for gRPC {}", method, e);
    trailers.put(ERROR_CODE, ErrorCode.INTERNAL_ERROR.name());
    return Status.INTERNAL
        .withDescription(
            "Internal error (" + e.getClass().getSimpleName() + "); the server log has the details")
        .asRuntimeException(trailers);
  }
}
