/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.testing.RedisFixture;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisFixtureTest {
  @Test
  void sharedRedisAnswersPing() {
    RedisFixture redis = RedisFixture.shared();
    URI uri = URI.create(redis.uri());
    if (redis.kind().equals("redis-server")) {
      assertThat(uri.getPort()).isNotEqualTo(6379);
    }
    assertThat(RedisServerProcess.ping(uri.getPort())).as(redis.toString()).isTrue();
  }

  @Test
  void privateServerStopsAndStartsOnTheSamePort() {
    try (RedisServerProcess server = RedisFixture.startPrivate()) {
      assertThat(RedisServerProcess.ping(server.port())).isTrue();
      server.stop();
      assertThat(RedisServerProcess.ping(server.port())).isFalse();
      server.start();
      assertThat(RedisServerProcess.ping(server.port())).isTrue();
    }
  }

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
}
