/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void writesNumbersWithoutNoise() {
    assertThat(Formats.number(3.0)).isEqualTo("3");
    assertThat(Formats.number(-40)).isEqualTo("-40");
    assertThat(Formats.number(0.52)).isEqualTo("0.52");
    assertThat(Formats.number(1.0 / 3)).isEqualTo("0.3333");
    assertThat(Formats.number(2.5e7 + 0.5)).isEqualTo("2.50e+07");
    assertThat(Formats.number(0.0001234)).isEqualTo("0.000123");
    assertThat(Formats.number(Double.NaN)).isEqualTo("NaN");
  }

  @Test
  void writesCountsPercentagesAndAges() {
    assertThat(Formats.count(1234567)).isEqualTo("1,234,567");
    assertThat(Formats.percent(420.0 / 5100)).isEqualTo("8.2%");
    assertThat(Formats.percent(0)).isEqualTo("0%");
    assertThat(Formats.age(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(Formats.age(Duration.ofMinutes(30))).isEqualTo("30m 0s");
    assertThat(Formats.age(Duration.ofMinutes(125))).isEqualTo("2h 5m");
    assertThat(Formats.age(Duration.ofHours(76))).isEqualTo("3d 4h");
    assertThat(Formats.age(Duration.ofMinutes(-5))).isEqualTo("-5m 0s");
  }

  @Test
  void writesEpochSecondsAsInstants() {
    // 2026-12-02T05:00:00Z = 1796187600 s
    assertThat(Formats.instant(1_796_187_600.4)).isEqualTo("2026-12-02T05:00:00Z");
    assertThat(Formats.shortInstant(1_796_187_600)).isEqualTo("12-02 05:00");
  }
}
