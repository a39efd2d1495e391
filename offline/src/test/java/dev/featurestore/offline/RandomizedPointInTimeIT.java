/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static dev.featurestore.offline.TestData.field;
import static dev.featurestore.offline.TestData.schema;
import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the Spark join with a plain-Java reference on random data dense in ties, boundaries,
 * duplicates and nulls. Each run packs {@value #SEEDS_PER_RUN} independent seeds into disjoint key
 * ranges, so 5 runs cover 40 seeds with one Spark job each.
 */
class RandomizedPointInTimeIT {
  private static final int SEEDS_PER_RUN = 8;
  private static final Instant BASE = Instant.parse("2024-03-10T00:00:00Z");
  private static final long TTL_MICROS = 20_000_000L; // 20 s; timestamps fall on a 1 s grid +-1 µs

  /** A source row; {@code key2} is only used by the composite-key view. */
  record SourceRow(Long key, String key2, long ts, Long created, Double f, Long g) {}

  /** An entity row; {@code id} repeats for duplicated rows. */
  record EntityRow(long id, Long key, String key2, Long ts) {}

  /** A view of the test: its rows and whether it has a TTL / a created column / two keys. */
  record TestView(
      String name, List<SourceRow> rows, long ttlMicros, boolean created, boolean composite) {}

  @TempDir Path dir;

  /**
   * Odd runs drop source rows on the map side (the entity pairs are broadcast), even runs shuffle
   * every source row; runs 1 and 2 use the same data, so both plans face it.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void matchesThePlainJavaReference(long run) {
    long dataRun = (run + 1) / 2;
    long broadcastLimit = run % 2 == 1 ? TrainingSetOptions.DEFAULT_BROADCAST_LIMIT : 0;
    List<EntityRow> entities = new ArrayList<>();
    List<TestView> views =
        List.of(
            new TestView("with_ttl", new ArrayList<>(), TTL_MICROS, true, false),
            new TestView("no_ttl", new ArrayList<>(), 0, false, false),
            new TestView("composite", new ArrayList<>(), TTL_MICROS, true, true));
    for (int seed = 0; seed < SEEDS_PER_RUN; seed++) {
      generate(new Random(dataRun * 1000 + seed), seed * 100L, entities, views);
    }
    for (TestView view : views) {
      write(view);
    }
    StructType entitySchema =
        schema(
            field("id", DataTypes.LongType),
            field("k", DataTypes.LongType),
            field("s", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType));
    List<Row> entityRows = new ArrayList<>();
    for (EntityRow e : entities) {
      entityRows.add(RowFactory.create(e.id(), e.key(), e.key2(), timestamp(e.ts())));
    }
    SparkSession spark = SparkTestSession.get();
    HistoricalFeatures features =
        HistoricalFeatures.of(spark, definitions(), p -> dir.resolve(p).toUri());

    List<Row> result =
        features
            .historicalFeatures(
                spark.createDataFrame(entityRows, entitySchema).repartition(3),
                List.of("with_ttl:*", "no_ttl:*", "composite:*"),
                TrainingSetOptions.defaults()
                    .withFullFeatureNames()
                    .withBroadcastLimit(broadcastLimit))
            .collectAsList();

    List<String> actual = new ArrayList<>();
    for (Row row : result) {
      StringBuilder text = new StringBuilder().append(row.get(0));
      for (int i = 4; i < row.length(); i++) {
        text.append('|').append(row.get(i));
      }
      actual.add(text.toString());
    }
    List<String> expected = new ArrayList<>();
    for (EntityRow e : entities) {
      StringBuilder text = new StringBuilder().append(e.id());
      for (TestView view : views) {
        SourceRow best = reference(e, view);
        text.append('|').append(best == null ? null : best.f());
        text.append('|').append(best == null ? null : best.g());
      }
      expected.add(text.toString());
    }
    actual.sort(null);
    expected.sort(null);
    assertThat(entities.size()).isGreaterThan(2000);
    assertThat(actual).isEqualTo(expected);
    // The data must exercise matches as well as misses.
    long matched = expected.stream().filter(t -> t.contains(".0|")).count();
    assertThat(matched).isBetween(entities.size() / 4L, entities.size() - 100L);
  }

  /** The contract, written as plainly as possible. */
  private static SourceRow reference(EntityRow e, TestView view) {
    if (e.key() == null || e.ts() == null || (view.composite() && e.key2() == null)) {
      return null;
    }
    SourceRow best = null;
    for (SourceRow r : view.rows()) {
      boolean sameKey = e.key().equals(r.key()) && (!view.composite() || e.key2().equals(r.key2()));
      boolean valid =
          r.ts() <= e.ts() && (view.ttlMicros() == 0 || r.ts() >= e.ts() - view.ttlMicros());
      if (sameKey && valid && (best == null || ORDER.compare(r, best) > 0)) {
        best = r;
      }
    }
    return best;
  }

  private static final Comparator<Long> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<SourceRow> ORDER =
      Comparator.comparingLong(SourceRow::ts)
          .thenComparing(SourceRow::created, NULLS_FIRST)
          .thenComparing(SourceRow::f, Comparator.nullsFirst(Comparator.<Double>naturalOrder()))
          .thenComparing(SourceRow::g, NULLS_FIRST);

  private static void generate(
      Random random, long keyBase, List<EntityRow> entities, List<TestView> views) {
    int keys = 1 + random.nextInt(12);
    for (TestView view : views) {
      int count = random.nextInt(150);
      for (int i = 0; i < count; i++) {
        SourceRow row =
            new SourceRow(
                random.nextInt(40) == 0 ? null : keyBase + random.nextInt(keys),
                random.nextInt(30) == 0 ? null : "s" + random.nextInt(2),
                gridTime(random),
                view.created() && random.nextInt(4) != 0 ? (long) random.nextInt(3) : null,
                random.nextInt(10) == 0 ? null : (double) random.nextInt(4),
                random.nextInt(10) == 0 ? null : (long) random.nextInt(3));
        view.rows().add(row);
        if (random.nextInt(10) == 0) {
          view.rows().add(row); // an exact duplicate
        }
      }
    }
    int count = 200 + random.nextInt(200);
    for (int i = 0; i < count; i++) {
      long id = keyBase * 10_000 + i;
      EntityRow row =
          new EntityRow(
              id,
              random.nextInt(30) == 0 ? null : keyBase + random.nextInt(keys + 2),
              random.nextInt(30) == 0 ? null : "s" + random.nextInt(2),
              random.nextInt(50) == 0 ? null : gridTime(random));
      entities.add(row);
      if (random.nextInt(15) == 0) {
        entities.add(row);
      }
    }
  }

  /** Seconds on a small grid, sometimes one microsecond off, to hit every boundary. */
  private static long gridTime(Random random) {
    return random.nextInt(100) * 1_000_000L + (random.nextInt(3) - 1);
  }

  private static Timestamp timestamp(Long micros) {
    return micros == null ? null : Timestamp.from(BASE.plus(Duration.ofNanos(micros * 1000)));
  }

  private void write(TestView view) {
    List<Row> rows = new ArrayList<>();
    for (SourceRow r : view.rows()) {
      rows.add(
          RowFactory.create(
              r.key(), r.key2(), timestamp(r.ts()), timestamp(r.created()), r.f(), r.g()));
    }
    StructType schema =
        schema(
            field("k", DataTypes.LongType),
            field("s", DataTypes.StringType),
            field("event_timestamp", DataTypes.TimestampType),
            field("created", DataTypes.TimestampType),
            field("f", DataTypes.DoubleType),
            field("g", DataTypes.LongType));
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .repartition(2)
        .write()
        .parquet(dir.resolve(view.name()).toString());
  }

  private static Definitions definitions() {
    Duration ttl = Duration.ofNanos(TTL_MICROS * 1000);
    return new Definitions(
        "random",
        List.of(entity("k", key("k", ValueType.INT64)), entity("s", key("s", ValueType.STRING))),
        List.of(
            source("with_ttl_source", "with_ttl", "created"),
            source("no_ttl_source", "no_ttl"),
            source("composite_source", "composite", "created")),
        List.of(
            view(
                "with_ttl",
                List.of("k"),
                "with_ttl_source",
                ttl,
                feature("f", ValueType.FLOAT64),
                feature("g", ValueType.INT64)),
            view(
                "no_ttl",
                List.of("k"),
                "no_ttl_source",
                Duration.ZERO,
                feature("f", ValueType.FLOAT64),
                feature("g", ValueType.INT64)),
            view(
                "composite",
                List.of("k", "s"),
                "composite_source",
                ttl,
                feature("f", ValueType.FLOAT64),
                feature("g", ValueType.INT64))),
        List.of());
  }
}
