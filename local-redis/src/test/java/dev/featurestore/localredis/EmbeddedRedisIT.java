/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.localredis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisIT {
  @Test
  void embeddedRedisIsSharedAcrossCallsAndStops(@TempDir Path state) {
    String first = EmbeddedRedis.ensureRunning(state);
    try {
      assertThat(EmbeddedRedis.ensureRunning(state)).isEqualTo(first);
      assertThat(EmbeddedRedis.running(state)).contains(first);
      assertThat(state.resolve("redis/redis.pid")).exists();
    } finally {
      assertThat(EmbeddedRedis.stop(state)).isTrue();
    }
    assertThat(EmbeddedRedis.running(state)).isEmpty();
    assertThat(RedisServerProcess.ping(URI.create(first).getPort())).isFalse();
  }

  @Test
  void nothingRunsUntilItIsStarted(@TempDir Path state) {
    assertThat(EmbeddedRedis.running(state)).isEmpty();
    assertThat(EmbeddedRedis.stop(state)).isFalse();
  }
}
