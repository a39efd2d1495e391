/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.localredis.EmbeddedRedis;
import dev.featurestore.localredis.LocalRedisException;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.repo.FeatureRepo;
import java.util.function.Supplier;

/**
 * The command layer's one step that starts the embedded Redis: the Redis of a repo is the one its
 * featurestore.yaml names, else the repo's embedded Redis, started now if it is not running. {@code
 * materialize} takes it before Spark starts; {@code serve} takes its URI (through {@code redis
 * ensure}) before the online service starts. Neither the online service nor opening a repo starts a
 * Redis on its own.
 */
final class EmbeddedRedisStep {
  private EmbeddedRedisStep() {}

  /** The repo's Redis: the one featurestore.yaml names, else its embedded one (started). */
  static RedisConfig redisOf(FeatureRepo repo) {
    return repo.config().redis().orElseGet(() -> RedisConfig.standalone(ensureRunning(repo)));
  }

  /** Returns the URI of the repo's embedded Redis, starting it when it is not running. */
  static String ensureRunning(FeatureRepo repo) {
    return translated(() -> EmbeddedRedis.ensureRunning(repo.stateDirectory()));
  }

  /** Stops the repo's embedded Redis; returns whether one was running. */
  static boolean stop(FeatureRepo repo) {
    return translated(() -> EmbeddedRedis.stop(repo.stateDirectory()));
  }

  /** Runs a local-redis call, reporting its failure as the unavailable online store it is. */
  private static <T> T translated(Supplier<T> call) {
    try {
      return call.get();
    } catch (LocalRedisException e) {
      throw new FeatureStoreException(ErrorCode.UNAVAILABLE, e.getMessage(), e);
    }
  }
}
