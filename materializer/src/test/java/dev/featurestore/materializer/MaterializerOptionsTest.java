/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.FeatureStoreException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaterializerOptionsTest {
  @Test
  void hasDefaults() {
    assertThat(MaterializerOptions.defaults())
        .isEqualTo(
            new MaterializerOptions(
                256,
                8,
                64,
                250_000,
                Optional.empty(),
                Duration.ofSeconds(5),
                MaterializerOptions.Dedupe.SHUFFLE));
  }

  @Test
  void mapsEveryKey() {
    MaterializerOptions options =
        MaterializerOptions.fromMap(
            Map.of(
                "materializer.redis.script-batch-size", "8",
                "materializer.redis.flush-every", "4",
                "materializer.redis.max-in-flight", "100",
                "materializer.rows-per-partition", "1000",
                "materializer.expiry-grace", "2h",
                "materializer.progress-interval", "PT1M",
                "materializer.dedupe", "auto",
                "spark.master", "local[1]"));

    assertThat(options)
        .isEqualTo(
            new MaterializerOptions(
                8,
                4,
                100,
                1000,
                Optional.of(Duration.ofHours(2)),
                Duration.ofMinutes(1),
                MaterializerOptions.Dedupe.AUTO));
  }

  @Test
  void parsesShortAndIsoDurations() {
    assertThat(MaterializerOptions.duration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(MaterializerOptions.duration("k", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(MaterializerOptions.duration("k", "15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(MaterializerOptions.duration("k", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(MaterializerOptions.duration("k", "0")).isEqualTo(Duration.ZERO);
    assertThat(MaterializerOptions.duration("k", "PT36H")).isEqualTo(Duration.ofHours(36));
  }

  @Test
  void rejectsUnknownKeysAndBadValues() {
    assertThatThrownBy(
            () ->
                MaterializerOptions.fromMap(Map.of("materializer.redis.script-batch-size", "2049")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid value '2049' for materializer.redis.script-batch-size: must be at most 2048");
    assertThatThrownBy(() -> MaterializerOptions.fromMap(Map.of("materializer.dedupe", "never")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("Invalid value 'never' for materializer.dedupe: expected auto or shuffle");
    assertThatThrownBy(
            () -> MaterializerOptions.fromMap(Map.of("materializer.redis.flush-evry", "1")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid setting 'materializer.redis.flush-evry': unknown key (did you mean"
                + " 'materializer.redis.flush-every'?)");
    assertThatThrownBy(
            () -> MaterializerOptions.fromMap(Map.of("materializer.redis.max-in-flight", "many")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid value 'many' for materializer.redis.max-in-flight: expected a whole number");
    assertThatThrownBy(
            () -> MaterializerOptions.fromMap(Map.of("materializer.redis.flush-every", "0")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid value '0' for materializer.redis.flush-every: must be a positive number");
    assertThatThrownBy(
            () -> MaterializerOptions.fromMap(Map.of("materializer.expiry-grace", "soon")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid value 'soon' for materializer.expiry-grace: expected a duration such as 30s,"
                + " 15m, 2h, 7d or PT1H");
  }
}
