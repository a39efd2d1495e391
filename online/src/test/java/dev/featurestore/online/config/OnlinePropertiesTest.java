/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class OnlinePropertiesTest {
  @Test
  void hasDefaults() {
    OnlineProperties properties = bind(Map.of("featurestore.repo", "/repo"));

    assertThat(properties)
        .isEqualTo(
            new OnlineProperties(
                Path.of("/repo"),
                1000,
                DataSize.ofMegabytes(1),
                Duration.ofMillis(200),
                2,
                Duration.ofSeconds(1),
                "",
                null,
                Duration.ofSeconds(15)));
    assertThat(properties.redisUriIfSet()).isEmpty();
  }

  @Test
  void mapsEveryKey() {
    OnlineProperties properties =
        bind(
            Map.of(
                "featurestore.repo", "/srv/repo",
                "featurestore.max-entities", "50",
                "featurestore.max-request-size", "64KB",
                "featurestore.redis-timeout", "1s",
                "featurestore.redis-connections", "4",
                "featurestore.registry-poll-interval", "250ms",
                "featurestore.redis-uri", "redis://127.0.0.1:6390",
                "featurestore.grpc-port", "7567",
                "featurestore.freshness-interval", "1m"));

    assertThat(properties)
        .isEqualTo(
            new OnlineProperties(
                Path.of("/srv/repo"),
                50,
                DataSize.ofKilobytes(64),
                Duration.ofSeconds(1),
                4,
                Duration.ofMillis(250),
                "redis://127.0.0.1:6390",
                7567,
                Duration.ofMinutes(1)));
    assertThat(properties.redisUriIfSet()).contains("redis://127.0.0.1:6390");
  }

  private static OnlineProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("featurestore", OnlineProperties.class);
  }
}
