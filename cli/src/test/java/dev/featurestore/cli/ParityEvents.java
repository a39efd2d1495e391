/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.aggregation.Windows;
import dev.featurestore.aggregation.testing.ReferenceWindows;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Random raw events for {@link AggregationParityIT}, dense in the edges that matter: times at
 * exactly each window's tail {@code floor_H(t) - W} of every request instant {@code t} and one
 * microsecond either side, at the materialization's end and its start, equal timestamps (with equal
 * or different created timestamps), null created timestamps, null values, exact duplicates and null
 * keys.
 */
final class ParityEvents {
  /** Events of one source: a key (null for a null key) and its values. */
  record Event(List<Object> key, long ts, Long created, Double fare, Long distance, String rider) {
    ReferenceWindows.Event reference() {
      Map<String, Object> values = new HashMap<>();
      values.put("fare", fare);
      values.put("distance", distance);
      values.put("rider", rider);
      return new ReferenceWindows.Event(
          ts,
          created == null ? Long.MIN_VALUE : created,
          java.util.Collections.unmodifiableMap(values));
    }
  }

  private final Random random;
  private final List<Long> edges;
  private final long from;
  private final long to;

  /**
   * @param edges the instants events cluster at (each also one microsecond either side)
   * @param from the earliest random event time
   * @param to the latest random event time
   */
  ParityEvents(Random random, List<Long> edges, long from, long to) {
    this.random = random;
    this.edges = List.copyOf(edges);
    this.from = from;
    this.to = to;
  }

  /** Up to {@code most} random events of one key, appended to {@code events}. */
  void addKey(List<Object> key, int most, List<Event> events) {
    int count = random.nextInt(most + 1);
    Event previous = null;
    for (int i = 0; i < count; i++) {
      long ts;
      if (previous != null && random.nextInt(6) == 0) {
        ts = previous.ts(); // a tie at an equal event timestamp
      } else if (random.nextBoolean()) {
        ts = edges.get(random.nextInt(edges.size())) + random.nextInt(3) - 1;
      } else {
        ts = from + (long) (random.nextDouble() * (to - from));
      }
      Long created;
      if (random.nextInt(3) == 0) {
        created = null;
      } else if (previous != null && previous.ts() == ts && random.nextBoolean()) {
        created = previous.created(); // a full tie: the greatest value wins
      } else {
        created = ts + random.nextInt(5) - 2;
      }
      Event event = new Event(key, ts, created, fare(), distance(), rider());
      events.add(event);
      if (random.nextInt(20) == 0) {
        events.add(event); // an exact duplicate counts twice
      }
      previous = event;
    }
  }

  /** One event at {@code ts} with random values. */
  Event at(List<Object> key, long ts) {
    return new Event(key, ts, null, fare(), distance(), rider());
  }

  private Double fare() {
    return switch (random.nextInt(5)) {
      case 0 -> null;
      case 1 -> random.nextInt(8) / 4.0; // repeated values: ties by value
      case 2 -> random.nextInt(10) / 10.0; // not exact in binary
      default -> random.nextDouble() * 2000 - 1000;
    };
  }

  private Long distance() {
    int pick = random.nextInt(20);
    if (pick < 4) {
      return null;
    }
    return pick == 4 ? (1L << 50) + random.nextInt(5) : random.nextInt(2000) - 500L;
  }

  private String rider() {
    return random.nextInt(5) == 0 ? null : "r" + random.nextInt(30);
  }

  /** The schema of a source with these key columns (Spark types) before the value columns. */
  static StructType schema(StructType keys) {
    return keys.add("event_timestamp", DataTypes.TimestampType)
        .add("created", DataTypes.TimestampType)
        .add("fare", DataTypes.DoubleType)
        .add("distance", DataTypes.LongType)
        .add("rider", DataTypes.StringType);
  }

  /** Writes the events with {@code ts <= through} as Parquet (3 files, in no particular order). */
  static void write(Path path, StructType schema, List<Event> events, long through) {
    List<Row> rows = new ArrayList<>();
    int keys = schema.size() - 5;
    for (Event e : events) {
      if (e.ts() > through) {
        continue;
      }
      List<Object> values = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        values.add(e.key() == null ? null : e.key().get(k));
      }
      values.add(timestamp(e.ts()));
      values.add(e.created() == null ? null : timestamp(e.created()));
      values.add(e.fare());
      values.add(e.distance());
      values.add(e.rider());
      rows.add(RowFactory.create(values.toArray()));
    }
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .repartition(3)
        .write()
        .parquet(path.toString());
  }

  static Timestamp timestamp(long micros) {
    Timestamp ts = new Timestamp(Math.floorDiv(micros, 1000));
    ts.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
    return ts;
  }

  /** Microseconds of the tile start of {@code micros} on interval {@code intervalMicros}. */
  static long floor(long micros, long intervalMicros) {
    return Windows.tileStart(Windows.tileOf(micros, intervalMicros), intervalMicros);
  }
}
