/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.localredis.RedisServerProcess;
import java.net.URI;
import org.junit.jupiter.api.Test;

class RedisFixtureIT {
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
}
