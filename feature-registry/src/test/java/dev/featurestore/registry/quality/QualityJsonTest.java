/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class QualityJsonTest {
  static ViewStatistics sample() {
    Map<String, Double> quantiles = new LinkedHashMap<>();
    quantiles.put("p1", 1.0);
    quantiles.put("p50", 2.0);
    quantiles.put("p99", 3.0);
    FeatureStatistics rate =
        new FeatureStatistics(
            "conv_rate",
            ValueType.FLOAT64,
            4,
            1,
            3,
            Optional.of(new Numbers(1, 3, 2, 1)),
            quantiles,
            List.of(new Bin(1, 2, 1), new Bin(2, 3, 2)),
            List.of(),
            Optional.empty(),
            OptionalLong.empty(),
            List.of());
    FeatureStatistics segment =
        new FeatureStatistics(
            "segment",
            ValueType.ARRAY_STRING,
            4,
            0,
            0,
            Optional.empty(),
            Map.of(),
            List.of(),
            List.of(new ValueCount("gold", 3), new ValueCount("x", 1)),
            Optional.of(new Numbers(0, 2, 1, 0.5)),
            OptionalLong.of(1),
            List.of("x"));
    return new ViewStatistics(
        "driver_stats",
        Optional.of(Instant.parse("2026-12-01T00:00:00Z")),
        Instant.parse("2026-12-02T00:00:00.123456Z"),
        4,
        List.of(rate, segment));
  }

  @Test
  void roundTripsViewStatistics() {
    ViewStatistics statistics = sample();

    String json = QualityJson.write(statistics);

    assertThat(QualityJson.read(json, ViewStatistics.class)).isEqualTo(statistics);
    assertThat(json)
        .contains("\"approx_distinct\" : 3")
        .contains("\"start\" : \"2026-12-01T00:00:00Z\"")
        .contains("\"type\" : \"array<string>\"")
        .contains("\"numbers\" : null")
        .contains("\"disallowed\" : 1")
        .contains("\"disallowed_examples\" : [ \"x\" ]");
  }

  @Test
  void keepsQuantileOrderAndEmptyParts() {
    ViewStatistics read = QualityJson.read(QualityJson.write(sample()), ViewStatistics.class);

    assertThat(read.feature("conv_rate").orElseThrow().quantiles().keySet())
        .containsExactly("p1", "p50", "p99");
    assertThat(read.feature("conv_rate").orElseThrow().disallowed()).isEmpty();
    assertThat(read.feature("nope")).isEmpty();
  }

  @Test
  void roundTripsAListAndNonFiniteNumbers() {
    FeatureStatistics base = sample().features().get(0);
    FeatureStatistics infinite =
        new FeatureStatistics(
            "x",
            ValueType.FLOAT64,
            1,
            0,
            1,
            Optional.of(
                new Numbers(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 0)),
            base.quantiles(),
            base.histogram(),
            List.of(),
            Optional.empty(),
            OptionalLong.empty(),
            List.of());
    ViewStatistics statistics =
        new ViewStatistics("v", Optional.empty(), Instant.EPOCH, 1, List.of(infinite));

    String json = QualityJson.write(List.of(statistics));
    List<ViewStatistics> read =
        QualityJson.read(
            json, QualityJson.mapper().constructType(new TypeReference<List<ViewStatistics>>() {}));

    assertThat(read).containsExactly(statistics);
  }

  @Test
  void nullFractionIsZeroWithoutRows() {
    FeatureStatistics none =
        new FeatureStatistics(
            "x",
            ValueType.STRING,
            0,
            0,
            0,
            Optional.empty(),
            Map.of(),
            List.of(),
            List.of(),
            Optional.empty(),
            OptionalLong.empty(),
            List.of());

    assertThat(none.nullFraction()).isZero();
    assertThat(sample().features().get(0).nullFraction()).isEqualTo(0.25);
  }

  @Test
  void rejectsJsonOfAnotherShape() {
    assertThatThrownBy(
            () -> QualityJson.read("{\"view\": \"v\", \"rows\": \"many\"}", ViewStatistics.class))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot read ViewStatistics from JSON: ");
    assertThatThrownBy(
            () ->
                QualityJson.read(
                    QualityJson.write(sample()).replace("array<string>", "array<int8>"),
                    ViewStatistics.class))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("not a value type");
  }
}
