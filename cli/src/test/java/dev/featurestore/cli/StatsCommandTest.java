/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.store.Watermarks;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatsCommandTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final Instant WATERMARK = Instant.parse("2026-12-01T09:00:00Z");

  static FeatureView view(Duration ttl, Optional<Duration> freshness) {
    return new FeatureView(
        "v",
        List.of("driver"),
        "src",
        ttl,
        true,
        List.of(Feature.of("x", ValueType.INT64)),
        Map.of(),
        "",
        freshness);
  }

  /** An in-memory watermark store. */
  static final class MapWatermarks implements Watermarks {
    final Map<String, Instant> marks = new HashMap<>();

    @Override
    public Optional<Instant> read(String view) {
      return Optional.ofNullable(marks.get(view));
    }

    @Override
    public void write(String view, Instant watermark) {
      marks.put(view, watermark);
    }

    @Override
    public Map<String, Instant> all() {
      return Map.copyOf(marks);
    }
  }

  @Test
  void theDefaultWindowIsTheLastMaterializedOneElseAllData() {
    StatsCommand command = new StatsCommand();
    MapWatermarks watermarks = new MapWatermarks();

    assertThat(command.window(view(Duration.ofHours(2), Optional.empty()), watermarks, NOW))
        .isEqualTo(new StatsCommand.Window(Optional.empty(), NOW, "all data: no watermark"));

    watermarks.write("v", WATERMARK);
    assertThat(command.window(view(Duration.ofHours(2), Optional.empty()), watermarks, NOW))
        .isEqualTo(
            new StatsCommand.Window(
                Optional.of(Instant.parse("2026-12-01T07:00:00Z")), WATERMARK, "watermark - ttl"));
    assertThat(command.window(view(Duration.ZERO, Optional.empty()), watermarks, NOW))
        .isEqualTo(new StatsCommand.Window(Optional.empty(), WATERMARK, "up to the watermark"));
  }

  @Test
  void givenTimesWinOverTheWatermark() {
    StatsCommand command = new StatsCommand();
    command.start = Instant.parse("2026-11-30T00:00:00Z");
    MapWatermarks watermarks = new MapWatermarks();
    watermarks.write("v", WATERMARK);

    assertThat(command.window(view(Duration.ofHours(2), Optional.empty()), watermarks, NOW))
        .isEqualTo(new StatsCommand.Window(Optional.of(command.start), NOW, "--start/--end"));
  }

  @Test
  void freshnessComparesTheWatermarkAgeWithTheView() {
    Optional<Duration> twoHours = Optional.of(Duration.ofHours(2));

    assertThat(
            StatsCommand.freshness(
                view(Duration.ZERO, Optional.empty()), Optional.of(WATERMARK), NOW))
        .isEmpty();
    assertThat(StatsCommand.freshness(view(Duration.ZERO, twoHours), Optional.of(WATERMARK), NOW))
        .contains("STALE: watermark 3.0h old, freshness 2h");
    assertThat(
            StatsCommand.freshness(
                view(Duration.ZERO, twoHours), Optional.of(NOW.minusSeconds(600)), NOW))
        .contains("fresh: watermark 10m old, freshness 2h");
    assertThat(StatsCommand.freshness(view(Duration.ZERO, twoHours), Optional.empty(), NOW))
        .contains("STALE: never materialized (freshness 2h)");
  }

  @Test
  void agesReadAsPeopleSayThem() {
    assertThat(StatsCommand.age(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(StatsCommand.age(Duration.ofMinutes(12))).isEqualTo("12m");
    assertThat(StatsCommand.age(Duration.ofMinutes(192))).isEqualTo("3.2h");
    assertThat(StatsCommand.age(Duration.ofHours(108))).isEqualTo("4.5d");
  }

  @Test
  void numbersAreShortInTheTable() {
    assertThat(StatsTable.number(42)).isEqualTo("42");
    assertThat(StatsTable.number(0.60071)).isEqualTo("0.6007");
    assertThat(StatsTable.number(0.5)).isEqualTo("0.5");
    assertThat(StatsTable.number(1.5e7 + 0.5)).isEqualTo("1.500e+07");
    assertThat(StatsTable.number(Double.NaN)).isEqualTo("NaN");
  }
}
