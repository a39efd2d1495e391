/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.config.RedisConfig;
import java.io.Serializable;
import java.util.List;

/**
 * A serializable copy of a {@link RedisConfig}, shipped to the executors and used as the key of
 * their shared connections. Its string form never shows a password.
 */
public record RedisTarget(List<String> uris, boolean cluster) implements Serializable {
  private static final long serialVersionUID = 1L;

  public RedisTarget {
    uris = List.copyOf(requireNonNull(uris, "uris is null"));
  }

  public static RedisTarget of(RedisConfig config) {
    return new RedisTarget(config.uris(), config.cluster());
  }

  /** The address for messages: the URIs with passwords replaced by {@code ***}. */
  public String redacted() {
    List<String> redacted = new RedisConfig(uris, cluster).redactedUris();
    return redacted.size() == 1 ? redacted.get(0) : String.join(", ", redacted);
  }

  @Override
  public String toString() {
    return (cluster ? "Redis Cluster " : "Redis ") + redacted();
  }
}
