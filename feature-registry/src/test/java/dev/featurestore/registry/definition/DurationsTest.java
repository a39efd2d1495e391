/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesShortFormsIsoAndZero() {
    assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("15m")).contains(Duration.ofMinutes(15));
    assertThat(Durations.parse("2h")).contains(Duration.ofHours(2));
    assertThat(Durations.parse("7d")).contains(Duration.ofDays(7));
    assertThat(Durations.parse(" 7 d ")).contains(Duration.ofDays(7));
    assertThat(Durations.parse("PT2H")).contains(Duration.ofHours(2));
    assertThat(Durations.parse("P7D")).contains(Duration.ofDays(7));
    assertThat(Durations.parse("pt1m30s")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("0")).contains(Duration.ZERO);
    assertThat(Durations.parse("0s")).contains(Duration.ZERO);
  }

  @Test
  void rejectsEverythingElse() {
    for (String text : new String[] {"", "2", "2 hours", "-1h", "PT-1H", "1w", "1.5h", "h"}) {
      assertThat(Durations.parse(text)).as(text).isEmpty();
    }
  }

  @Test
  void formatsInTheShortestFormThatParsesBack() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
    assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ofMinutes(150))).isEqualTo("150m");
    assertThat(Durations.format(Duration.ofSeconds(61))).isEqualTo("61s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
    for (Duration d :
        new Duration[] {Duration.ofMillis(1500), Duration.ofSeconds(61), Duration.ofDays(400)}) {
      assertThat(Durations.parse(Durations.format(d))).contains(d);
    }
  }
}
