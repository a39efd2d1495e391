/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the online service, under {@code featurestore.*} (command line {@code
 * --featurestore.repo=DIR}, environment {@code FEATURESTORE_REPO}, or application properties).
 * Redis and the API key come from the repo's {@code featurestore.yaml}; a repo whose
 * featurestore.yaml names no {@code online.redis} needs {@code featurestore.redis-uri} ({@code
 * bin/featurestore serve} passes its embedded Redis there). The service never starts a Redis.
 *
 * @param repo the feature repo folder ({@code featurestore.repo}); required
 * @param maxEntities the most entity rows one request may ask for ({@code
 *     featurestore.max-entities}, default {@value #DEFAULT_MAX_ENTITIES})
 * @param maxRequestSize the largest request body accepted ({@code featurestore.max-request-size},
 *     default 1MB)
 * @param redisTimeout how long a request waits for Redis before answering 503 ({@code
 *     featurestore.redis-timeout}, default 200ms)
 * @param redisConnections how many long-lived Redis connections requests are spread over ({@code
 *     featurestore.redis-connections}, default {@value #DEFAULT_REDIS_CONNECTIONS})
 * @param registryPollInterval how often the registry is checked for a new version ({@code
 *     featurestore.registry-poll-interval}, default 1s)
 * @param redisUri the Redis to read when featurestore.yaml names no {@code online.redis} ({@code
 *     featurestore.redis-uri}, e.g. {@code redis://127.0.0.1:6390}; default: none); ignored when it
 *     names one
 * @param grpcPort the port of Feast's gRPC ServingService ({@code featurestore.grpc-port}, {@code
 *     serve --grpc-port M}; 0 a free port, -1 no gRPC server); null when unset, then {@code
 *     online.grpc_port} of featurestore.yaml, else 6567
 * @param freshnessInterval how often the materialization watermarks are read for the freshness
 *     gauges and {@code GET /freshness} ({@code featurestore.freshness-interval}, default 15s; also
 *     read whenever a new registry version is loaded)
 */
@Validated
@ConfigurationProperties("featurestore")
public record OnlineProperties(
    @NotNull(message = "is required: start with --repo DIR or --featurestore.repo=DIR") Path repo,
    @DefaultValue("" + OnlineProperties.DEFAULT_MAX_ENTITIES) @Min(1) int maxEntities,
    @DefaultValue("1MB") @NotNull DataSize maxRequestSize,
    @DefaultValue("200ms") @NotNull Duration redisTimeout,
    @DefaultValue("" + OnlineProperties.DEFAULT_REDIS_CONNECTIONS) @Min(1) @Max(64)
        int redisConnections,
    @DefaultValue("1s") @NotNull Duration registryPollInterval,
    @DefaultValue("") String redisUri,
    @Min(-1) @Max(65_535) Integer grpcPort,
    @DefaultValue("15s") @NotNull Duration freshnessInterval) {
  /** Default for {@code featurestore.max-entities}. */
  public static final int DEFAULT_MAX_ENTITIES = 1000;

  /** Default for {@code featurestore.redis-connections}. */
  public static final int DEFAULT_REDIS_CONNECTIONS = 2;

  /** The property naming the Redis of a repo whose featurestore.yaml names none. */
  public static final String REDIS_URI = "featurestore.redis-uri";

  /** {@code featurestore.redis-uri} when it is set. */
  public Optional<String> redisUriIfSet() {
    return redisUri == null || redisUri.isBlank() ? Optional.empty() : Optional.of(redisUri.trim());
  }
}
