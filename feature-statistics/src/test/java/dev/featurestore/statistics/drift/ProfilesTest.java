/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ProfilesTest {
  @Test
  void countsValuesAndNullsPerBucketAndSketchesNumbers() {
    Profiles profiles =
        new Profiles(
            List.of(
                ColumnProfile.counting(new NumericBins(new double[] {1, 2}), true),
                ColumnProfile.counting(new Categories(List.of("gold")))));

    Profiles profiled =
        profiles.of(
            List.of(
                RowFactory.create(0.5, "gold"),
                RowFactory.create(1.0, "silver"),
                RowFactory.create(Double.NaN, null),
                RowFactory.create(7.0, "gold")));

    assertThat(profiled.rows()).isEqualTo(4);
    // 0.5 and 1.0 in (-inf, 1], 7 in (2, inf); NaN is no value.
    assertThat(profiled.column(0).counts()).containsExactly(2, 0, 1);
    assertThat(profiled.column(0).values()).isEqualTo(3);
    assertThat(profiled.column(0).nulls()).isEqualTo(1);
    assertThat(profiled.column(0).kll().getN()).isEqualTo(3);
    assertThat(profiled.column(1).counts()).containsExactly(2, 1);
    assertThat(profiled.column(1).nulls()).isEqualTo(1);
  }

  @Test
  void survivesJavaSerializationWithItsSketches() throws Exception {
    ColumnProfile numbers = ColumnProfile.sketching(Comparison.NUMBER);
    numbers.addNumber(3);
    numbers.addNumber(4);
    ColumnProfile categories = ColumnProfile.sketching(Comparison.CATEGORY);
    categories.addCategory("gold");

    ColumnProfile numbersBack = roundTrip(numbers);
    ColumnProfile categoriesBack = roundTrip(categories);

    assertThat(numbersBack.values()).isEqualTo(2);
    assertThat(numbersBack.kll().getMinItem()).isEqualTo(3);
    assertThat(numbersBack.kll().getMaxItem()).isEqualTo(4);
    assertThat(categoriesBack.items().getEstimate("gold")).isEqualTo(1);
    assertThat(numbersBack.merge(numbers).kll().getN()).isEqualTo(4);
  }

  private static ColumnProfile roundTrip(ColumnProfile profile) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(profile);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ColumnProfile) in.readObject();
    }
  }

  @Test
  void comparesServedValuesAsTheOfflineSideDoes() {
    // Timestamps as epoch seconds: the online codec decodes them as Long microseconds.
    assertThat(ServedCurrentValues.compared(ValueType.TIMESTAMP, 1_500_000L)).isEqualTo(1.5);
    assertThat(
            ServedCurrentValues.compared(
                ValueType.TIMESTAMP, Instant.parse("1970-01-01T00:00:02.250Z")))
        .isEqualTo(2.25);
    assertThat(ServedCurrentValues.compared(ValueType.INT32, 7)).isEqualTo(7.0);
    assertThat(ServedCurrentValues.compared(ValueType.FLOAT32, 0.5f)).isEqualTo(0.5);
    assertThat(ServedCurrentValues.compared(ValueType.BOOL, true)).isEqualTo("true");
    assertThat(ServedCurrentValues.compared(ValueType.STRING, "gold")).isEqualTo("gold");
    assertThat(ServedCurrentValues.compared(ValueType.FLOAT64, null)).isNull();
  }
}
