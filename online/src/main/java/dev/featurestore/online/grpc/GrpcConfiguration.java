/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import dev.featurestore.online.auth.ApiKeyCheck;
import dev.featurestore.online.config.OnlineProperties;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.registry.repo.FeatureRepo;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires Feast's gRPC ServingService over the REST endpoint's lookup service. */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {
  /** The gRPC port when neither the service's settings nor featurestore.yaml name one. */
  static final int DEFAULT_PORT = 6567;

  @Bean
  GrpcServer grpcServer(
      OnlineProperties properties,
      FeatureRepo repo,
      OnlineFeatureService service,
      ApiKeyCheck apiKey,
      MeterRegistry registry) {
    String version =
        Objects.requireNonNullElse(
            GrpcServer.class.getPackage().getImplementationVersion(), "development");
    return new GrpcServer(
        port(properties, repo),
        (int) Math.min(Integer.MAX_VALUE, properties.maxRequestSize().toBytes()),
        new ServingGrpcService(service, repo.config().project(), "featurestore " + version),
        new CallInterceptor(apiKey, registry));
  }

  /**
   * The gRPC port: {@code featurestore.grpc-port} (also {@code --grpc-port}) when set, else {@code
   * online.grpc_port} of featurestore.yaml, else {@value #DEFAULT_PORT}; -1 means no server.
   */
  static int port(OnlineProperties properties, FeatureRepo repo) {
    if (properties.grpcPort() != null) {
      return properties.grpcPort();
    }
    return repo.config().grpcPort().orElse(DEFAULT_PORT);
  }
}
