/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.examples;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The rows of the ride-hailing example (examples/rides), generated deterministically from a seed
 * and anchored to a "now", so that lookups right after generation show current values.
 *
 * <p>Designated entities, which the quickstart looks up:
 *
 * <ul>
 *   <li>driver {@value #ACTIVE_DRIVER}: an hourly row about 5 minutes old, whose newest hour was
 *       corrected (two rows with the same event timestamp; the one created later, conv_rate {@value
 *       #CORRECTED_CONV_RATE}, wins): PRESENT;
 *   <li>driver {@value #INACTIVE_DRIVER}: no hourly row in the last 3 hours, older than the 2h TTL
 *       of driver_hourly_stats but younger than TTL + grace: OUTSIDE_MAX_AGE;
 *   <li>driver {@value #UNKNOWN_DRIVER}: no data at all: NOT_FOUND.
 * </ul>
 *
 * <p>In the trip events (the raw events of the aggregated view driver_trips), driver {@value
 * #ACTIVE_DRIVER} has a trip {@value #ACTIVE_TRIP_AGE_SECONDS} seconds before now, driver {@value
 * #INACTIVE_DRIVER} none in the last {@value #INACTIVE_TRIP_GAP_HOURS} hours (its 1h windows are
 * empty) and driver {@value #UNKNOWN_DRIVER} none at all.
 *
 * <p>Realism: about 3% of the hourly rows arrive late (created hours after their event), rows are
 * written in arrival (created) order, so event timestamps are out of order in the files, and about
 * 2% of the hourly rows are corrected by a second row with the same event timestamp and a later
 * created timestamp.
 */
final class RidesData {
  static final long ACTIVE_DRIVER = 1001;
  static final long INACTIVE_DRIVER = 1002;
  static final long UNKNOWN_DRIVER = 9999;
  static final double CORRECTED_CONV_RATE = 0.91;
  static final int DRIVERS = 1000;
  static final int CUSTOMERS = 5000;
  static final int HOURS = 240;
  static final int DAYS = 30;
  static final int WEEKS = 13;
  static final int EMBEDDING_SIZE = 8;
  static final String[] SEGMENTS = {"new", "regular", "premium"};
  static final long ACTIVE_TRIP_AGE_SECONDS = 600;
  static final int INACTIVE_TRIP_GAP_HOURS = 3;

  static final String DRIVER_HOURLY_SCHEMA =
      "message driver_hourly_stats { required int64 driver_id;"
          + " required int64 event_timestamp (TIMESTAMP(MICROS,true));"
          + " required int64 created (TIMESTAMP(MICROS,true)); optional double conv_rate;"
          + " optional float acc_rate; optional int64 avg_daily_trips; }";

  static final String DRIVER_DAILY_SCHEMA =
      "message driver_daily { required int64 driver_id;"
          + " required int64 event_timestamp (TIMESTAMP(MICROS,true)); optional int64 trips_last_7d;"
          + " optional double driver_rating;"
          + " optional group embedding (LIST) { repeated group list { optional float element; } } }";

  static final String CUSTOMER_PROFILE_SCHEMA =
      "message customer_profile { required int64 customer_id;"
          + " required int64 event_timestamp (TIMESTAMP(MICROS,true)); optional double current_balance;"
          + " optional double avg_passenger_count; optional int64 lifetime_trip_count;"
          + " optional binary segment (STRING); }";

  static final String TRIPS_SCHEMA =
      "message trips { required int64 driver_id; required int64 customer_id;"
          + " required int64 event_timestamp (TIMESTAMP(MICROS,true)); optional double fare; }";

  private final Instant now;
  private final long seed;

  RidesData(Instant now, long seed) {
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
    this.seed = seed;
  }

  static long driverId(int index) {
    return 1001 + index;
  }

  /** Hourly driver statistics, in arrival (created) order. */
  List<Object[]> driverHourlyStats() {
    Random random = new Random(seed);
    List<Object[]> rows = new ArrayList<>(DRIVERS * HOURS * 103 / 100);
    for (int d = 0; d < DRIVERS; d++) {
      long driver = driverId(d);
      double baseConv = 0.3 + 0.6 * random.nextDouble();
      long baseTrips = 5 + random.nextInt(30);
      boolean inactive = driver == INACTIVE_DRIVER;
      for (int h = inactive ? 2 : 0; h < HOURS; h++) {
        Instant event = now.minus(Duration.ofHours(h)).minusSeconds(60 + random.nextInt(540));
        if (inactive) {
          // Newest row 2h31m-2h40m old: past the 2h TTL, and still an hour short of TTL + grace.
          event = event.minus(Duration.ofMinutes(30));
        }
        boolean late = random.nextInt(100) < 3;
        Instant created =
            min(
                late
                    ? event.plus(Duration.ofMinutes(120 + random.nextInt(1680)))
                    : event.plusSeconds(30 + random.nextInt(240)));
        double conv = clamp(baseConv + random.nextGaussian() * 0.05);
        float acc = (float) clamp(0.7 + random.nextGaussian() * 0.1);
        long trips = Math.max(0, baseTrips + random.nextInt(7) - 3);
        if (driver == ACTIVE_DRIVER && h == 0) {
          // The newest hour of the active driver, corrected a minute later: the correction wins.
          event = now.minusSeconds(300);
          rows.add(hourly(driver, event, now.minusSeconds(240), conv, acc, trips));
          rows.add(hourly(driver, event, now.minusSeconds(120), CORRECTED_CONV_RATE, acc, trips));
          continue;
        }
        rows.add(hourly(driver, event, created, conv, acc, trips));
        Instant fixedAt = created.plusSeconds(60 + random.nextInt(600));
        if (random.nextInt(100) < 2 && !fixedAt.isAfter(now)) {
          // A correction: same event timestamp, created later, different values; it must win.
          rows.add(hourly(driver, event, fixedAt, round(conv * 0.9), acc, trips));
        }
      }
    }
    rows.sort(Comparator.comparing((Object[] r) -> (Instant) r[2]).thenComparing(r -> (Long) r[0]));
    return rows;
  }

  /** Daily driver aggregates with an 8-dimensional embedding; about 1% of ratings are null. */
  List<Object[]> driverDaily() {
    Random random = new Random(seed + 1);
    List<Object[]> rows = new ArrayList<>(DRIVERS * DAYS);
    for (int day = DAYS - 1; day >= 0; day--) {
      for (int d = 0; d < DRIVERS; d++) {
        Instant event = now.minus(Duration.ofDays(day)).minusSeconds(1800 + random.nextInt(1800));
        Float[] embedding = new Float[EMBEDDING_SIZE];
        for (int i = 0; i < EMBEDDING_SIZE; i++) {
          embedding[i] = (float) Math.round(random.nextGaussian() * 1000) / 1000f;
        }
        Double rating =
            random.nextInt(100) == 0
                ? null
                : Math.round((3.5 + 1.5 * random.nextDouble()) * 100) / 100.0;
        rows.add(
            row(
                driverId(d),
                event,
                (long) (20 + random.nextInt(120)),
                rating,
                Arrays.asList(embedding)));
      }
    }
    return rows;
  }

  /** Weekly customer profile snapshots. */
  List<Object[]> customerProfile() {
    Random random = new Random(seed + 2);
    List<Object[]> rows = new ArrayList<>(CUSTOMERS * WEEKS);
    for (int w = WEEKS - 1; w >= 0; w--) {
      for (int c = 1; c <= CUSTOMERS; c++) {
        Instant event =
            now.minus(Duration.ofDays(7L * w)).minusSeconds(600 + random.nextInt(6 * 86_400));
        rows.add(
            row(
                (long) c,
                event,
                Math.round(random.nextDouble() * 50_000) / 100.0,
                Math.round((1 + random.nextDouble() * 2) * 100) / 100.0,
                (long) ((WEEKS - w) * (1 + c % 9)),
                SEGMENTS[c % SEGMENTS.length]));
      }
    }
    return rows;
  }

  /**
   * Trip events, the raw events of the aggregated view driver_trips: columns driver_id,
   * customer_id, event_timestamp, fare, in event-time order. Each driver takes trips at its own
   * rate (0.2 to 1.2 an hour, a Poisson process over the last {@value #HOURS} hours, about 170,000
   * trips); fares are 5 plus an exponential of mean 15, in cents, about 1% null (a fare not yet
   * known). Several trips of a driver can share a second.
   */
  List<Object[]> trips() {
    Random random = new Random(seed + 4);
    List<Object[]> rows = new ArrayList<>(DRIVERS * HOURS * 3 / 4);
    Instant start = now.minus(Duration.ofHours(HOURS));
    for (int d = 0; d < DRIVERS; d++) {
      long driver = driverId(d);
      double perSecond = (0.2 + random.nextDouble()) / 3600;
      Instant end =
          driver == INACTIVE_DRIVER ? now.minus(Duration.ofHours(INACTIVE_TRIP_GAP_HOURS)) : now;
      Instant at = start;
      while (true) {
        at = at.plusSeconds((long) Math.ceil(-Math.log(1 - random.nextDouble()) / perSecond));
        if (!at.isBefore(end)) {
          break;
        }
        rows.add(trip(driver, 1 + random.nextInt(CUSTOMERS), at, fare(random)));
      }
      if (driver == ACTIVE_DRIVER) {
        rows.add(
            trip(
                driver,
                1 + random.nextInt(CUSTOMERS),
                now.minusSeconds(ACTIVE_TRIP_AGE_SECONDS),
                fare(random)));
      }
    }
    rows.sort(Comparator.comparing((Object[] r) -> (Instant) r[2]).thenComparing(r -> (Long) r[0]));
    return rows;
  }

  /**
   * Labelled ride requests for a training set, as CSV with a header: request_id, driver_id,
   * customer_id, event_timestamp (ISO-8601 UTC), trip_completed (0/1). Some rows name the inactive
   * and the unknown driver, whose features come out null.
   */
  List<String> rideRequestsCsv(int count) {
    Random random = new Random(seed + 3);
    List<String> lines = new ArrayList<>(count + 1);
    lines.add("request_id,driver_id,customer_id,event_timestamp,trip_completed");
    for (int i = 0; i < count; i++) {
      long driver =
          switch (i % 50) {
            case 0 -> ACTIVE_DRIVER;
            case 1 -> INACTIVE_DRIVER;
            case 2 -> UNKNOWN_DRIVER;
            default -> driverId(random.nextInt(DRIVERS));
          };
      long customer = 1 + random.nextInt(CUSTOMERS);
      Instant at = now.minusSeconds(60 + random.nextInt(7 * 86_400));
      int label = random.nextInt(100) < 80 ? 1 : 0;
      lines.add(10_000_000L + i + "," + driver + "," + customer + "," + at + "," + label);
    }
    return lines;
  }

  private static Object[] row(Object... values) {
    return values;
  }

  private static Object[] trip(long driver, long customer, Instant at, Double fare) {
    return row(driver, customer, at, fare);
  }

  private static Double fare(Random random) {
    double fare = Math.round((5 - 15 * Math.log(1 - random.nextDouble())) * 100) / 100.0;
    return random.nextInt(100) == 0 ? null : fare;
  }

  private static Object[] hourly(
      long driver, Instant event, Instant created, double conv, float acc, long trips) {
    return row(driver, event, created, round(conv), acc, trips);
  }

  private Instant min(Instant instant) {
    return instant.isAfter(now) ? now : instant; // nothing arrives in the future
  }

  private static double clamp(double value) {
    return Math.max(0.0, Math.min(1.0, value));
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
