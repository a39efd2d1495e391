/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.config;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.Serializable;
import java.util.List;

/**
 * Where the online store lives, as written in {@code featurestore.yaml} under {@code online:}.
 *
 * <p>Every entry is a Lettuce Redis URI ({@code redis://}, {@code rediss://} for TLS, with {@code
 * user:password@} for ACLs). With {@code cluster} false there is exactly one URI; with it true the
 * URIs are the cluster's seed nodes.
 *
 * @param uris one standalone URI, or the seed nodes of a Redis Cluster
 *     <p>Serializable, so that Spark ships it to the executors as it is.
 * @param cluster whether to use the Redis Cluster client
 * @throws dev.featurestore.registry.FeatureStoreException INVALID_ARGUMENT when {@code uris} is
 *     empty
 */
public record RedisConfig(List<String> uris, boolean cluster) implements Serializable {
  private static final long serialVersionUID = 1L;

  public RedisConfig {
    uris = List.copyOf(requireNonNull(uris, "uris is null"));
    if (uris.isEmpty()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot use the online store: no Redis URI (use redis://host:port or rediss://host:port)");
    }
  }

  /** A standalone Redis at one URI. */
  public static RedisConfig standalone(String uri) {
    return new RedisConfig(List.of(uri), false);
  }

  /** Returns the URIs with any password replaced by {@code ***}, for messages and logs. */
  public List<String> redactedUris() {
    return uris.stream().map(u -> u.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@")).toList();
  }

  /**
   * Returns the target for messages, without passwords: {@code Redis redis://host:6379} or {@code
   * Redis Cluster redis://a:6379, redis://b:6379}.
   */
  public String describe() {
    return (cluster ? "Redis Cluster " : "Redis ") + String.join(", ", redactedUris());
  }

  @Override
  public String toString() {
    return "RedisConfig[uris=" + redactedUris() + ", cluster=" + cluster + "]";
  }
}
