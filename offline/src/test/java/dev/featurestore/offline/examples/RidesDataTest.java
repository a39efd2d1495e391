/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RidesDataTest {
  private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

  @Test
  void isDeterministicForASeedAndNow() {
    List<Object[]> first = new RidesData(NOW, 42).driverHourlyStats();
    List<Object[]> second = new RidesData(NOW, 42).driverHourlyStats();
    assertThat(first).hasSameSizeAs(second);
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i)).containsExactly(second.get(i));
    }
    assertThat(new RidesData(NOW, 42).rideRequestsCsv(100))
        .isEqualTo(new RidesData(NOW, 42).rideRequestsCsv(100));
  }

  @Test
  void activeDriverHasACorrectedNewestHourWhoseLaterCreatedRowWins() {
    List<Object[]> rows = rowsOf(RidesData.ACTIVE_DRIVER);
    Instant newest = rows.stream().map(r -> (Instant) r[1]).max(Comparator.naturalOrder()).get();
    List<Object[]> newestRows = rows.stream().filter(r -> r[1].equals(newest)).toList();
    assertThat(newest).isEqualTo(NOW.minusSeconds(300));
    assertThat(newestRows).hasSize(2);
    Object[] winner =
        newestRows.stream().max(Comparator.comparing((Object[] r) -> (Instant) r[2])).get();
    assertThat(winner[3]).isEqualTo(RidesData.CORRECTED_CONV_RATE);
  }

  @Test
  void inactiveDriverIsOlderThanTheTtlButYoungerThanTtlPlusGrace() {
    Duration ttl = Duration.ofHours(2);
    Instant newest =
        rowsOf(RidesData.INACTIVE_DRIVER).stream()
            .map(r -> (Instant) r[1])
            .max(Comparator.naturalOrder())
            .get();
    // Served as OUTSIDE_MAX_AGE, not yet removed by Redis (at ttl + grace), for an hour after now.
    assertThat(newest)
        .isBefore(NOW.minus(ttl))
        .isAfter(NOW.plus(Duration.ofHours(1)).minus(ttl.multipliedBy(2)));
  }

  @Test
  void unknownDriverHasNoData() {
    assertThat(rowsOf(RidesData.UNKNOWN_DRIVER)).isEmpty();
    assertThat(new RidesData(NOW, 42).driverDaily())
        .noneMatch(r -> r[0].equals(RidesData.UNKNOWN_DRIVER));
  }

  @Test
  void hourlyRowsArriveLateOutOfOrderAndWithDuplicateEventTimestamps() {
    List<Object[]> rows = new RidesData(NOW, 42).driverHourlyStats();
    long late =
        rows.stream()
            .filter(r -> Duration.between((Instant) r[1], (Instant) r[2]).toHours() >= 2)
            .count();
    assertThat(late).isBetween(rows.size() / 100L, rows.size() / 10L);
    long distinctKeys = rows.stream().map(r -> r[0] + "@" + r[1]).distinct().count();
    assertThat(rows.size() - distinctKeys).isBetween(rows.size() / 200L, rows.size() / 20L);
    // Written in arrival (created) order, so event timestamps go backwards somewhere.
    boolean createdSorted = true;
    boolean eventSorted = true;
    for (int i = 1; i < rows.size(); i++) {
      createdSorted &= !((Instant) rows.get(i)[2]).isBefore((Instant) rows.get(i - 1)[2]);
      eventSorted &= !((Instant) rows.get(i)[1]).isBefore((Instant) rows.get(i - 1)[1]);
    }
    assertThat(createdSorted).isTrue();
    assertThat(eventSorted).isFalse();
    assertThat(rows)
        .allMatch(
            r -> !((Instant) r[2]).isAfter(NOW) && !((Instant) r[2]).isBefore((Instant) r[1]));
  }

  @Test
  void tripsAreDeterministicInEventOrderAndWithinTheGeneratedRange() {
    List<Object[]> trips = new RidesData(NOW, 42).trips();
    List<Object[]> again = new RidesData(NOW, 42).trips();
    assertThat(trips).hasSameSizeAs(again);
    for (int i = 0; i < trips.size(); i++) {
      assertThat(trips.get(i)).containsExactly(again.get(i));
    }
    // 1,000 drivers at 0.2 to 1.2 trips an hour over 240 hours: about 168,000.
    assertThat(trips.size()).isBetween(150_000, 190_000);
    Instant start = NOW.minus(Duration.ofHours(RidesData.HOURS));
    for (int i = 0; i < trips.size(); i++) {
      Object[] trip = trips.get(i);
      Instant at = (Instant) trip[2];
      assertThat(at).isAfter(start).isBefore(NOW);
      if (i > 0) {
        assertThat(at).isAfterOrEqualTo((Instant) trips.get(i - 1)[2]);
      }
      assertThat((Long) trip[1]).isBetween(1L, (long) RidesData.CUSTOMERS);
      assertThat((Long) trip[0]).isBetween(RidesData.driverId(0), RidesData.driverId(999));
      if (trip[3] != null) {
        assertThat((Double) trip[3]).isGreaterThanOrEqualTo(5.0);
        assertThat(Math.round((Double) trip[3] * 100) / 100.0).isEqualTo(trip[3]);
      }
    }
    long nullFares = trips.stream().filter(t -> t[3] == null).count();
    assertThat(nullFares).isBetween(trips.size() / 200L, trips.size() / 50L);
    // Drivers take trips at different rates: the busiest has several times the trips of the
    // quietest.
    Map<Object, Long> perDriver =
        trips.stream().collect(Collectors.groupingBy(t -> t[0], Collectors.counting()));
    assertThat(perDriver).hasSize(RidesData.DRIVERS);
    assertThat(Collections.max(perDriver.values()))
        .isGreaterThan(3 * Collections.min(perDriver.values()));
  }

  @Test
  void designatedDriversTrips() {
    List<Object[]> trips = new RidesData(NOW, 42).trips();
    Instant activeNewest = newest(trips, RidesData.ACTIVE_DRIVER);
    assertThat(activeNewest).isEqualTo(NOW.minusSeconds(RidesData.ACTIVE_TRIP_AGE_SECONDS));
    // The inactive driver: nothing in the last 3 hours, so its 1h windows are empty as of now
    // (and for the next hour), but trips within a day.
    Instant inactiveNewest = newest(trips, RidesData.INACTIVE_DRIVER);
    assertThat(inactiveNewest)
        .isBefore(NOW.minus(Duration.ofHours(RidesData.INACTIVE_TRIP_GAP_HOURS)).plusNanos(1))
        .isAfter(NOW.minus(Duration.ofHours(24)));
    assertThat(trips).noneMatch(t -> t[0].equals(RidesData.UNKNOWN_DRIVER));
  }

  @Test
  void tripsWriteToParquetThatReadsBack(@TempDir Path dir) throws Exception {
    List<Object[]> rows = new RidesData(NOW, 42).trips().subList(0, 2);
    List<String> lines = writeAndPreview(dir.resolve("trips"), RidesData.TRIPS_SCHEMA, rows);
    assertThat(lines.get(0).split(" +"))
        .containsExactly("driver_id", "customer_id", "event_timestamp", "fare");
    Object[] first = rows.get(0);
    assertThat(lines.get(1).split(" {2,}"))
        .containsExactly(
            first[0].toString(),
            first[1].toString(),
            first[2].toString(),
            String.valueOf(first[3]));
  }

  /** Writes rows to a Parquet folder and returns the lines of its preview of 2 rows. */
  private static List<String> writeAndPreview(Path folder, String schema, List<Object[]> rows)
      throws Exception {
    ParquetFiles.write(folder, schema, rows);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ParquetPreview.print(folder, 2, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static Instant newest(List<Object[]> trips, long driver) {
    return trips.stream()
        .filter(t -> t[0].equals(driver))
        .map(t -> (Instant) t[2])
        .max(Comparator.naturalOrder())
        .orElseThrow();
  }

  @Test
  void writesParquetThatReadsBack(@TempDir Path dir) throws Exception {
    List<Object[]> rows = new RidesData(NOW, 42).driverDaily().subList(0, 3);
    List<String> lines =
        writeAndPreview(dir.resolve("driver_daily"), RidesData.DRIVER_DAILY_SCHEMA, rows);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).split(" +"))
        .containsExactly(
            "driver_id", "event_timestamp", "trips_last_7d", "driver_rating", "embedding");
    Object[] first = rows.get(0);
    assertThat(lines.get(1).split(" {2,}"))
        .containsExactly(
            first[0].toString(),
            first[1].toString(),
            first[2].toString(),
            first[3].toString(),
            first[4].toString());
  }

  private static List<Object[]> rowsOf(long driver) {
    return new RidesData(NOW, 42)
        .driverHourlyStats().stream().filter(r -> r[0].equals(driver)).toList();
  }
}
