/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.config;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.store.RegistryLocation;
import java.util.Map;
import java.util.Optional;

/**
 * The project settings of a feature repo ({@code featurestore.yaml}).
 *
 * <pre>
 * project: rides                      # [a-z0-9_]+
 * registry: .featurestore/registry    # relative to the repo, a file: URI, or a backend's URI
 * # or, with backend options:
 * registry:
 *   location: postgresql://db.example.com:5432/features?user=fs
 *   password_env: FEATURESTORE_REGISTRY_PASSWORD   # the variable holding the password
 * offline:
 *   spark_master: local[*]            # optional; default local[*]
 * online:
 *   redis: redis://127.0.0.1:6379     # optional; a URI or a list of seed nodes; absent = embedded
 *   cluster: false                    # optional; true = Redis Cluster client
 *   api_key: secret                   # optional; requests must send it in X-API-Key
 * </pre>
 *
 * @param project the project name
 * @param registry the registry location as written
 * @param registryOptions the registry backend's options (e.g. {@code password_env}), by key
 * @param sparkMaster the Spark master for local runs
 * @param redis the online store; empty means the embedded Redis under {@code .featurestore/}
 * @param apiKey the API key the online service requires; empty means no check
 */
public record RepoConfig(
    String project,
    String registry,
    Map<String, String> registryOptions,
    String sparkMaster,
    Optional<RedisConfig> redis,
    Optional<String> apiKey) {
  /** The default registry location, relative to the repo. */
  public static final String DEFAULT_REGISTRY = ".featurestore/registry";

  /** The default Spark master. */
  public static final String DEFAULT_SPARK_MASTER = "local[*]";

  public RepoConfig {
    requireNonNull(project, "project is null");
    requireNonNull(registry, "registry is null");
    registryOptions = Map.copyOf(requireNonNull(registryOptions, "registryOptions is null"));
    requireNonNull(sparkMaster, "sparkMaster is null");
    requireNonNull(redis, "redis is null");
    requireNonNull(apiKey, "apiKey is null");
  }

  /** Settings whose registry has no backend options. */
  public RepoConfig(
      String project,
      String registry,
      String sparkMaster,
      Optional<RedisConfig> redis,
      Optional<String> apiKey) {
    this(project, registry, Map.of(), sparkMaster, redis, apiKey);
  }

  /** Settings with defaults for everything but the project name. */
  public static RepoConfig defaults(String project) {
    return new RepoConfig(
        project, DEFAULT_REGISTRY, DEFAULT_SPARK_MASTER, Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return "RepoConfig[project="
        + project
        + ", registry="
        + RegistryLocation.redact(registry)
        + ", registryOptions="
        + registryOptions
        + ", sparkMaster="
        + sparkMaster
        + ", redis="
        + redis
        + ", apiKey="
        + apiKey.map(k -> "***").orElse("none")
        + "]";
  }
}
