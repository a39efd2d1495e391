/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gRPC server of the online service, started and stopped with the Spring context: it starts
 * after the beans it serves and stops before the Redis connections close (a later phase than
 * theirs), letting calls in flight finish for up to {@link #SHUTDOWN_GRACE}. Calls run on the
 * server's event loops: a lookup never blocks (its Redis read is asynchronous).
 */
public final class GrpcServer implements SmartLifecycle {
  /** How long a stop waits for calls in flight before cancelling them. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

  private final int port;
  private final int maxMessageSize;
  private final BindableService service;
  private final CallInterceptor interceptor;
  private volatile Server server;

  GrpcServer(int port, int maxMessageSize, BindableService service, CallInterceptor interceptor) {
    this.port = port;
    this.maxMessageSize = maxMessageSize;
    this.service = service;
    this.interceptor = interceptor;
  }

  /** The port the server listens on (the one chosen when configured as 0); -1 when off. */
  public int port() {
    Server running = server;
    return running == null ? -1 : running.getPort();
  }

  @Override
  public void start() {
    if (port < 0) {
      log.info("No gRPC server (featurestore.grpc-port=-1)");
      return;
    }
    Server starting =
        NettyServerBuilder.forAddress(new InetSocketAddress(port))
            .directExecutor()
            // REST's body limit (featurestore.max-request-size); larger answers RESOURCE_EXHAUSTED
            .maxInboundMessageSize(maxMessageSize)
            .addService(ServerInterceptors.intercept(service, interceptor))
            .build();
    try {
      starting.start();
    } catch (IOException e) {
      throw new FeatureStoreException(
          ErrorCode.UNAVAILABLE,
          e instanceof BindException || e.getCause() instanceof BindException
              ? String.format(
                  "Cannot start the online service: gRPC port %d is in use; stop what listens"
                      + " there, or choose another port with --grpc-port M (-1 for no gRPC"
                      + " server)",
                  port)
              : String.format(
                  "Cannot start the online service: the gRPC server did not start on port %d: %s",
                  port, e.getMessage()),
          e);
    }
    server = starting;
    log.info("Serving Feast's gRPC ServingService on port {}", starting.getPort());
  }

  @Override
  public void stop() {
    Server running = server;
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      if (!running.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("gRPC calls still running after {}; cancelling them", SHUTDOWN_GRACE);
        running.shutdownNow();
        running.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  /**
   * After the Redis reader's lifecycle (phase 1) so it stops first, and with the web server's
   * start/stop phase, so both protocols stop taking calls together.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 2048;
  }
}
