/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import dev.featurestore.online.auth.ApiKeyCheck;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What every call goes through before the service: its timing into {@value #TIMER} (tags {@code
 * method} and {@code status}, the gRPC status code), the API key check ({@link ApiKeyCheck}, from
 * the {@code x-api-key} or {@code authorization} metadata, refused with UNAUTHENTICATED), and the
 * optional {@value #PROJECT_KEY} metadata handed to the service ({@link #PROJECT}).
 */
final class CallInterceptor implements ServerInterceptor {
  /** The timer of gRPC calls, the counterpart of REST's {@code http.server.requests}. */
  static final String TIMER = "grpc.server.requests";

  /** The metadata naming the project a client means (Feast's request message has no field). */
  static final String PROJECT_KEY = "project";

  /** The project the call's metadata names, or null. */
  static final Context.Key<String> PROJECT = Context.key(PROJECT_KEY);

  private static final Metadata.Key<String> API_KEY =
      Metadata.Key.of(ApiKeyCheck.HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of(ApiKeyCheck.AUTHORIZATION, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> PROJECT_METADATA =
      Metadata.Key.of(PROJECT_KEY, Metadata.ASCII_STRING_MARSHALLER);

  private final ApiKeyCheck apiKey;
  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  CallInterceptor(ApiKeyCheck apiKey, MeterRegistry registry) {
    this.apiKey = apiKey;
    this.registry = registry;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getBareMethodName();
    ServerCall<Q, A> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            timer(method, status.getCode()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        };
    String rejected =
        apiKey.isRequired()
            ? apiKey.rejection(headers.get(API_KEY), headers.get(AUTHORIZATION))
            : null;
    if (rejected != null) {
      Metadata trailers = new Metadata();
      trailers.put(GrpcStatuses.ERROR_CODE, "UNAUTHORIZED");
      timed.close(Status.UNAUTHENTICATED.withDescription(rejected), trailers);
      return new ServerCall.Listener<>() {};
    }
    String project = headers.get(PROJECT_METADATA);
    if (project == null) {
      return next.startCall(timed, headers);
    }
    return Contexts.interceptCall(
        Context.current().withValue(PROJECT, project), timed, headers, next);
  }

  private Timer timer(String method, Status.Code code) {
    String key = method + '/' + code.name();
    Timer timer = timers.get(key);
    if (timer == null) {
      timer =
          timers.computeIfAbsent(
              key,
              k ->
                  Timer.builder(TIMER)
                      .description("gRPC calls by method and status code")
                      .tag("method", method)
                      .tag("status", code.name())
                      .register(registry));
    }
    return timer;
  }
}
