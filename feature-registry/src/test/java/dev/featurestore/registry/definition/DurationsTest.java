/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
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
  void parsesMillisecondsAndTheEdgesOfTheGrammar() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("0ms")).contains(Duration.ZERO);
    assertThat(Durations.parse("1500 ms")).contains(Duration.ofMillis(1500));
    assertThat(Durations.parse("PT0.5S")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("007m")).contains(Duration.ofMinutes(7));
    assertThat(Durations.parse("106751991167300d")).contains(Duration.ofDays(106751991167300L));
    assertThat(Durations.parse(Long.MAX_VALUE + "s")).contains(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @Test
  void rejectsOutOfRangeValuesWithoutAnException() {
    for (String text :
        new String[] {"106751991167301d", "99999999999999999999s", "9223372036854775808ms"}) {
      assertThat(Durations.parse(text)).as(text).isEmpty();
    }
  }

  @Test
  void namesTheSettingAndTheGrammarInTheError() {
    assertThat(Durations.parse("2h", "materializer.expiry-grace")).isEqualTo(Duration.ofHours(2));
    for (String text : new String[] {"soon", "-1s", "1.5h", "2H", "5", "99999999999999999999d"}) {
      assertThatThrownBy(() -> Durations.parse(text, "materializer.expiry-grace"))
          .as(text)
          .isInstanceOfSatisfying(
              FeatureStoreException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessage(
              "Invalid value '"
                  + text
                  + "' for materializer.expiry-grace: expected a whole number with a unit (500ms,"
                  + " 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or P7D, or 0");
    }
  }

  @Test
  void rejectsEverythingElse() {
    for (String text :
        new String[] {
          "", "2", "2 hours", "-1h", "PT-1H", "1w", "1.5h", "h", "2H", "5MS", "1us", "-0", "+1h",
          "1h30m", "ms"
        }) {
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
