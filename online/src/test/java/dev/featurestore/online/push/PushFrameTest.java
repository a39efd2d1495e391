/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

class PushFrameTest {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private static Map<String, PushFrame.Needed> needed(ValueType type) {
    Map<String, PushFrame.Needed> needed = new LinkedHashMap<>();
    needed.put("c", new PushFrame.Needed(type, true, true, "feature view 'v'"));
    return needed;
  }

  private static List<Object> parse(ValueType type, String values) {
    return PushFrame.parse(
            "Cannot push", JSON.readTree("{\"c\": " + values + "}"), needed(type), 100)
        .column("c")
        .orElseThrow();
  }

  @Test
  void readsTimestampsAsFeastClientsSendThem() {
    assertThat(
            parse(
                ValueType.TIMESTAMP,
                """
                ["2026-11-21T10:00:00Z", "2026-11-21 10:00:00", "2026-11-21 10:00:00.123456",
                 "2026-11-21 12:00:00.5+02:00", "2026-11-21T10:00", 1795000000, 1795000000.25,
                 "2026-11-21"]
                """))
        .containsExactly(
            Instant.parse("2026-11-21T10:00:00Z"),
            Instant.parse("2026-11-21T10:00:00Z"),
            Instant.parse("2026-11-21T10:00:00.123456Z"),
            Instant.parse("2026-11-21T10:00:00.5Z"),
            Instant.parse("2026-11-21T10:00:00Z"),
            Instant.ofEpochSecond(1795000000L),
            Instant.ofEpochSecond(1795000000L, 250_000_000L),
            Instant.parse("2026-11-21T00:00:00Z"));
  }

  @Test
  void convertsEveryType() {
    assertThat(parse(ValueType.INT32, "[1, -2147483648, null]"))
        .containsExactly(1L, -2147483648L, null);
    assertThat(parse(ValueType.FLOAT64, "[1, 0.5, \"NaN\", NaN, \"-Infinity\"]"))
        .containsExactly(1.0, 0.5, Double.NaN, Double.NaN, Double.NEGATIVE_INFINITY);
    assertThat(parse(ValueType.BOOL, "[true, false]")).containsExactly(true, false);
    assertThat(parse(ValueType.BYTES, "[\"AQI=\"]").get(0)).isEqualTo(new byte[] {1, 2});
    assertThat(parse(ValueType.ARRAY_INT64, "[[1, null], []]"))
        .containsExactly(Arrays.asList(1L, null), List.of());
  }

  @Test
  void namesColumnRowAndTypeOfAWrongValue() {
    assertThatThrownBy(() -> parse(ValueType.INT32, "[1, 2147483648]"))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot push: column 'c' is int32, but row 1 has 2147483648, which is out of range");
    assertThatThrownBy(() -> parse(ValueType.INT64, "[1.5]"))
        .hasMessage(
            "Cannot push: column 'c' is int64, but row 0 has 1.5 (a number with a fraction)");
    assertThatThrownBy(() -> parse(ValueType.BOOL, "[\"true\"]"))
        .hasMessage("Cannot push: column 'c' is bool, but row 0 has \"true\" (a string)");
    assertThatThrownBy(() -> parse(ValueType.ARRAY_STRING, "[\"a\"]"))
        .hasMessage("Cannot push: column 'c' is array<string>, but row 0 has \"a\" (a string)");
    assertThatThrownBy(() -> parse(ValueType.TIMESTAMP, "[\"2026-13-01 00:00:00\"]"))
        .hasMessageStartingWith(
            "Cannot push: column 'c' is a timestamp, but row 0 has \"2026-13-01 00:00:00\"; use");
    assertThatThrownBy(() -> parse(ValueType.INT64, "{\"0\": 1}"))
        .hasMessage(
            "Cannot push: column 'c' must be a list of values, one per row, not an object (from"
                + " pandas: df.to_dict(orient=\"list\"))");
  }

  @Test
  void refusesEpochSecondsThatAreNoTime() {
    // NaN and 1e400 (read as Infinity) were a 500: they have no decimal value.
    for (String value : List.of("NaN", "-Infinity", "1e400", "1e18")) {
      assertThatThrownBy(() -> parse(ValueType.TIMESTAMP, "[" + value + "]"))
          .isInstanceOfSatisfying(
              FeatureStoreException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessage(
              "Cannot push: column 'c' is a timestamp, but row 0 has "
                  + JSON.readTree(value)
                  + ", which is out of range as epoch seconds");
    }
  }

  @Test
  void refusesTimestampsBeyondEpochMicroseconds() {
    // Year 318857 is an Instant but no long of microseconds (was a 500 when stored).
    assertThatThrownBy(() -> parse(ValueType.TIMESTAMP, "[0, 10000000000000]"))
        .hasMessage(
            "Cannot push: column 'c' is a timestamp, but row 1 has 10000000000000, which is out"
                + " of range (-290308-12-21T19:59:06Z to +294247-01-10T04:00:54.775807Z: epoch"
                + " microseconds, as stored)");
    assertThat(parse(ValueType.TIMESTAMP, "[9223372036854]"))
        .containsExactly(Instant.ofEpochSecond(9223372036854L));
  }

  @Test
  void refusesAnEmptyOrMissingDf() {
    assertThatThrownBy(() -> PushFrame.parse("Cannot push", null, needed(ValueType.INT64), 1))
        .hasMessage(
            "Cannot push: 'df' is missing; give the rows as {\"column\": [values...], ...}");
    assertThatThrownBy(() -> parse(ValueType.INT64, "[]"))
        .hasMessage("Cannot push: 'df' has no rows");
  }
}
