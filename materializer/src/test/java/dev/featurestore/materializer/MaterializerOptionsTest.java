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
                MaterializerOptions.Dedupe.SHUFFLE,
                true,
                false));
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
                "materializer.statistics", "false",
                "materializer.allow-failed-checks", "TRUE",
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
                MaterializerOptions.Dedupe.AUTO,
                false,
                true));
  }

  @Test
  void rejectsABadSwitch() {
    assertThatThrownBy(
            () -> MaterializerOptions.fromMap(Map.of("materializer.statistics", "sometimes")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid value 'sometimes' for materializer.statistics: expected true or false");
  }

  @Test
  void parsesDurationsWithTheDefinitionGrammar() {
    for (var example :
        Map.of(
                "500ms", Duration.ofMillis(500),
                "30s", Duration.ofSeconds(30),
                "15m", Duration.ofMinutes(15),
                "7d", Duration.ofDays(7),
                "0", Duration.ZERO,
                "PT36H", Duration.ofHours(36))
            .entrySet()) {
      assertThat(
              MaterializerOptions.fromMap(
                  Map.of(
                      "materializer.expiry-grace", example.getKey(),
                      "materializer.progress-interval", example.getKey())))
          .as(example.getKey())
          .extracting(MaterializerOptions::expiryGrace, MaterializerOptions::progressInterval)
          .containsExactly(Optional.of(example.getValue()), example.getValue());
    }
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
            "Invalid value 'soon' for materializer.expiry-grace: expected a whole number with a"
                + " unit (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or P7D, or"
                + " 0");
    assertThatThrownBy(
            () -> MaterializerOptions.fromMap(Map.of("materializer.progress-interval", "-5s")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Invalid value '-5s' for materializer.progress-interval: expected a whole number with"
                + " a unit (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or P7D,"
                + " or 0");
  }
}
