/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FeatureVector;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ResponseWriterTest {
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void writesWhatDataBindingWrites() {
    GetOnlineFeaturesResponse response =
        new GetOnlineFeaturesResponse(
            new Metadata(List.of("driver_id", "rate", "trips", "name", "ok", "embedding", "n")),
            List.of(
                new FeatureVector(
                    List.of(1001L, 1002L),
                    List.of(FieldStatus.PRESENT, FieldStatus.PRESENT),
                    List.of("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z")),
                new FeatureVector(
                    Arrays.asList(0.7037263512611389, null),
                    List.of(FieldStatus.PRESENT, FieldStatus.NOT_FOUND),
                    List.of("2026-01-01T11:50:00Z", "1970-01-01T00:00:00Z")),
                new FeatureVector(
                    Arrays.asList(Long.MIN_VALUE, 42L),
                    List.of(FieldStatus.PRESENT, FieldStatus.PRESENT),
                    List.of("2026-01-01T11:50:00.123Z", "2026-01-01T11:50:00.123456Z")),
                new FeatureVector(
                    Arrays.asList("caf\u00e9 \"x\"\n", null),
                    List.of(FieldStatus.PRESENT, FieldStatus.NULL_VALUE),
                    List.of("2026-01-01T11:50:00Z", "2026-01-01T11:50:00Z")),
                new FeatureVector(
                    Arrays.asList(true, false),
                    List.of(FieldStatus.PRESENT, FieldStatus.PRESENT),
                    List.of("2026-01-01T11:50:00Z", "2026-01-01T11:50:00Z")),
                new FeatureVector(
                    Arrays.asList(Arrays.asList(1.5, null, 1e-7), List.of()),
                    List.of(FieldStatus.PRESENT, FieldStatus.OUTSIDE_MAX_AGE),
                    List.of("2026-01-01T11:50:00Z", "2026-01-01T11:50:00Z")),
                new FeatureVector(
                    Arrays.asList(7, Double.NaN),
                    List.of(FieldStatus.PRESENT, FieldStatus.PRESENT),
                    List.of("2026-01-01T11:50:00Z", "2026-01-01T11:50:00Z"))));

    assertThat(write(response)).isEqualTo(json.writeValueAsString(response));
  }

  @Test
  void writesFeastsShape() {
    GetOnlineFeaturesResponse response =
        new GetOnlineFeaturesResponse(
            new Metadata(List.of("driver_id", "trips")),
            List.of(
                new FeatureVector(
                    List.of(1001L), List.of(FieldStatus.PRESENT), List.of("1970-01-01T00:00:00Z")),
                new FeatureVector(
                    List.of(42L), List.of(FieldStatus.PRESENT), List.of("2026-01-01T11:50:00Z"))));

    assertThat(write(response))
        .isEqualTo(
            "{\"metadata\":{\"feature_names\":[\"driver_id\",\"trips\"]},\"results\":["
                + "{\"values\":[1001],\"statuses\":[\"PRESENT\"],"
                + "\"event_timestamps\":[\"1970-01-01T00:00:00Z\"]},"
                + "{\"values\":[42],\"statuses\":[\"PRESENT\"],"
                + "\"event_timestamps\":[\"2026-01-01T11:50:00Z\"]}]}");
  }

  private String write(GetOnlineFeaturesResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ResponseWriter(json).write(response, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
