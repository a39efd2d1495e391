/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class FeatureChecksTest {
  private static final FeatureChecks RATE =
      new FeatureChecks(
          OptionalDouble.of(0), OptionalDouble.of(1), OptionalDouble.of(0.05), List.of());

  @Test
  void noneIsEmptyAndOldConstructorsMeanNone() {
    assertThat(FeatureChecks.NONE.isEmpty()).isTrue();
    assertThat(RATE.isEmpty()).isFalse();
    assertThat(Feature.of("conv_rate", ValueType.FLOAT64).checks()).isEqualTo(FeatureChecks.NONE);
    assertThat(new Feature("a", ValueType.INT64, "a", "").checks()).isEqualTo(FeatureChecks.NONE);
    FeatureView view =
        new FeatureView("v", List.of("driver"), "s", Duration.ZERO, true, List.of(), Map.of(), "");
    assertThat(view.freshness()).isEmpty();
    assertThat(view.hasChecks()).isFalse();
  }

  @Test
  void viewWithChecksAndFreshnessSurvivesJavaSerialization() throws Exception {
    FeatureView view =
        new FeatureView(
            "driver_hourly_stats",
            List.of("driver"),
            "driver_stats",
            Duration.ofDays(1),
            true,
            List.of(
                new Feature("conv_rate", ValueType.FLOAT64, "conv_rate", "", RATE),
                new Feature(
                    "segment",
                    ValueType.STRING,
                    "segment",
                    "",
                    new FeatureChecks(
                        OptionalDouble.empty(),
                        OptionalDouble.empty(),
                        OptionalDouble.empty(),
                        List.of("gold", "silver"))),
                Feature.of("trips", ValueType.INT64)),
            Map.of("team", "rides"),
            "",
            Optional.of(Duration.ofHours(2)));

    Object copy = roundTrip(view);

    assertThat(copy).isEqualTo(view);
    assertThat(((FeatureView) copy).hasChecks()).isTrue();
    assertThat(roundTrip(view.withFreshness(Optional.empty())))
        .isEqualTo(view.withFreshness(Optional.empty()));
  }

  private static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }
}
