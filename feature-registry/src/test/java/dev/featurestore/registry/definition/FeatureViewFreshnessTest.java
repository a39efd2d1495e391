/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeatureViewFreshnessTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private static FeatureView view(Optional<Duration> freshness) {
    return new FeatureView(
        "driver_hourly_stats",
        List.of("driver"),
        "src",
        Duration.ofHours(2),
        true,
        List.of(Feature.of("conv_rate", ValueType.FLOAT64)),
        Map.of(),
        "",
        freshness);
  }

  @Test
  void isStaleOnlyWhenTheWatermarkIsOlderThanTheFreshness() {
    FeatureView view = view(Optional.of(Duration.ofHours(2)));
    assertThat(view.isStaleAt(Optional.of(NOW.minus(Duration.ofHours(2))), NOW)).isFalse();
    assertThat(view.isStaleAt(Optional.of(NOW.minus(Duration.ofHours(2)).minusNanos(1000)), NOW))
        .isTrue();
    assertThat(view.isStaleAt(Optional.of(NOW), NOW)).isFalse();
    // A watermark in the future (clock skew between the materializer and the reader) is fresh.
    assertThat(view.isStaleAt(Optional.of(NOW.plusSeconds(60)), NOW)).isFalse();
  }

  @Test
  void isStaleWhenNeverMaterializedAndFreshnessIsDeclared() {
    assertThat(view(Optional.of(Duration.ofHours(2))).isStaleAt(Optional.empty(), NOW)).isTrue();
  }

  @Test
  void isNeverStaleWithoutAFreshness() {
    FeatureView view = view(Optional.empty());
    assertThat(view.isStaleAt(Optional.empty(), NOW)).isFalse();
    assertThat(view.isStaleAt(Optional.of(Instant.EPOCH), NOW)).isFalse();
  }
}
