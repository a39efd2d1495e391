/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class PushPropertiesTest {
  @Test
  void hasDefaults() {
    assertThat(bind(Map.of()))
        .isEqualTo(new PushProperties(10_000, DataSize.ofMegabytes(16), Duration.ofSeconds(2)));
  }

  @Test
  void mapsEveryKey() {
    assertThat(
            bind(
                Map.of(
                    "featurestore.push.max-rows", "500",
                    "featurestore.push.max-request-size", "2MB",
                    "featurestore.push.redis-timeout", "750ms")))
        .isEqualTo(new PushProperties(500, DataSize.ofMegabytes(2), Duration.ofMillis(750)));
  }

  private static PushProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("featurestore.push", PushProperties.class);
  }
}
