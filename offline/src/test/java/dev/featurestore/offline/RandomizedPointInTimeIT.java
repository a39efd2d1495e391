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
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.spark.SparkTypes;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the Spark join with a plain-Java reference on random data dense in ties, boundaries,
 * duplicates and nulls. Each run packs {@value #SEEDS_PER_RUN} independent seeds into disjoint key
 * ranges, so 3 data sets (each on both plans) cover 24 seeds with one Spark job each.
 *
 * <p>The request has issue 15's shape among others: entity rows with an int64 key {@code k}, a
 * string {@code s}, and a second entity {@code store} whose key is a string and an int32 ({@code
 * code}, {@code region}); views on {@code k}, on {@code k, s} and on the store, each group with a
 * view without TTL; exact duplicate source and entity rows; null keys on both sides.
 */
class RandomizedPointInTimeIT {
  private static final int SEEDS_PER_RUN = 8;
  private static final Instant BASE = Instant.parse("2024-03-10T00:00:00Z");
  private static final long TTL_MICROS = 20_000_000L; // 20 s; timestamps fall on a 1 s grid +-1 µs

  /** A source row: the values of its view's key columns, in order (a value may be null). */
  record SourceRow(List<Object> key, long ts, Long created, Double f, Long g) {}

  /** An entity row; {@code id} repeats for duplicated rows. */
  record EntityRow(long id, Long k, String s, String code, Integer region, Long ts) {
    /** The values of these entity columns. */
    List<Object> key(List<String> columns) {
      return columns.stream().map(this::value).toList();
    }

    private Object value(String column) {
      return switch (column) {
        case "k" -> k;
        case "s" -> s;
        case "code" -> code;
        case "region" -> region;
        default -> throw new IllegalArgumentException(column);
      };
    }
  }

  /** A view of the test: its key columns, its rows, its TTL (0: none), a created column or not. */
  record TestView(
      String name, List<String> keys, List<SourceRow> rows, long ttlMicros, boolean created) {}

  private static final List<String> STORE_KEYS = List.of("code", "region");

  @TempDir Path dir;

  /**
   * Each data set meets the three plans: runs 1, 4, 7 look the entity rows up in broadcast indexes
   * of the source rows (no shuffle); runs 2, 5, 8 drop source rows on the map side (the entity
   * pairs are broadcast) and shuffle the rest; runs 3, 6, 9 shuffle every source row.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void matchesThePlainJavaReference(long run) {
    long dataRun = (run + 2) / 3;
    long indexLimit = run % 3 == 1 ? TrainingSetOptions.DEFAULT_INDEX_LIMIT : 0;
    long broadcastLimit = run % 3 == 0 ? 0 : TrainingSetOptions.DEFAULT_BROADCAST_LIMIT;
    List<EntityRow> entities = new ArrayList<>();
    List<TestView> views =
        List.of(
            new TestView("with_ttl", List.of("k"), new ArrayList<>(), TTL_MICROS, true),
            new TestView("no_ttl", List.of("k"), new ArrayList<>(), 0, false),
            new TestView("composite", List.of("k", "s"), new ArrayList<>(), TTL_MICROS, true),
            new TestView("store", STORE_KEYS, new ArrayList<>(), TTL_MICROS, true),
            new TestView("store_no_ttl", STORE_KEYS, new ArrayList<>(), 0, false));
    for (int seed = 0; seed < SEEDS_PER_RUN; seed++) {
      // The last data run puts every other seed's rows ~71 years later: a time span that the
      // join's one-long sort key cannot hold, so it sorts by every column instead.
      long offset = dataRun == 3 && seed % 2 == 1 ? 1L << 51 : 0;
      generate(new Random(dataRun * 1000 + seed), seed * 100L, offset, entities, views);
    }
    for (TestView view : views) {
      write(view);
    }
    StructType entitySchema =
        schema(
            field("id", DataTypes.LongType),
            field("k", SparkTypes.of(keyType("k"))),
            field("s", SparkTypes.of(keyType("s"))),
            field("code", SparkTypes.of(keyType("code"))),
            field("region", SparkTypes.of(keyType("region"))),
            field("event_timestamp", DataTypes.TimestampType));
    List<Row> entityRows = new ArrayList<>();
    for (EntityRow e : entities) {
      entityRows.add(
          RowFactory.create(e.id(), e.k(), e.s(), e.code(), e.region(), timestamp(e.ts())));
    }
    SparkSession spark = SparkTestSession.get();
    HistoricalFeatures features =
        HistoricalFeatures.of(spark, definitions(views), p -> dir.resolve(p).toUri());

    Dataset<Row> joined =
        features.historicalFeatures(
            spark.createDataFrame(entityRows, entitySchema).repartition(3),
            views.stream().map(v -> v.name() + ":*").toList(),
            TrainingSetOptions.defaults()
                .withFullFeatureNames()
                .withBroadcastLimit(broadcastLimit)
                .withIndexLimit(indexLimit));
    // The plan asked for is the plan run: the indexed join reads the sources in jobs of its own,
    // so only the shuffled joins' result has file scans in its lineage.
    assertThat(joined.queryExecution().toRdd().toDebugString().contains("FileScanRDD"))
        .as("source rows in the result's lineage")
        .isEqualTo(indexLimit == 0);
    List<Row> result = joined.collectAsList();

    List<String> actual = new ArrayList<>();
    for (Row row : result) {
      // Every input column unchanged (through the chain of three entity groups), then features.
      StringBuilder text = new StringBuilder().append(row.get(0));
      for (int i = 1; i < row.length(); i++) {
        text.append('|').append(row.get(i));
      }
      actual.add(text.toString());
    }
    List<String> expected = new ArrayList<>();
    for (EntityRow e : entities) {
      StringBuilder text = new StringBuilder().append(e.id());
      for (Object value : Arrays.asList(e.k(), e.s(), e.code(), e.region(), timestamp(e.ts()))) {
        text.append('|').append(value);
      }
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
    // The data must exercise matches as well as misses, in every view.
    for (TestView view : views) {
      long matched = entities.stream().filter(e -> reference(e, view) != null).count();
      assertThat(matched)
          .as("entity rows that match in view %s", view.name())
          .isBetween(entities.size() / 10L, entities.size() * 9L / 10);
    }
  }

  /** The contract, written as plainly as possible. */
  private static SourceRow reference(EntityRow e, TestView view) {
    List<Object> key = e.key(view.keys());
    if (key.contains(null) || e.ts() == null) {
      return null;
    }
    SourceRow best = null;
    for (SourceRow r : view.rows()) {
      boolean sameKey = key.equals(r.key());
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
      Random random, long keyBase, long offset, List<EntityRow> entities, List<TestView> views) {
    int keys = 1 + random.nextInt(12);
    for (TestView view : views) {
      int count = random.nextInt(150);
      for (int i = 0; i < count; i++) {
        List<Object> key = new ArrayList<>();
        for (String column : view.keys()) {
          key.add(keyValue(column, random, keyBase, keys));
        }
        SourceRow row =
            new SourceRow(
                key,
                offset + gridTime(random),
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
              (Long) keyValue("k", random, keyBase, keys + 2),
              (String) keyValue("s", random, keyBase, keys),
              (String) keyValue("code", random, keyBase, keys + 1),
              (Integer) keyValue("region", random, keyBase, keys),
              random.nextInt(50) == 0 ? null : offset + gridTime(random));
      entities.add(row);
      if (random.nextInt(15) == 0) {
        entities.add(row);
      }
    }
  }

  /**
   * A random value of a key column, null now and then: {@code k} and {@code code} among {@code
   * keys} values of this seed's range, {@code s} and {@code region} among 2 values.
   */
  private static Object keyValue(String column, Random random, long keyBase, int keys) {
    if (random.nextInt(column.equals("k") ? 40 : 60) == 0) {
      return null;
    }
    return switch (column) {
      case "k" -> keyBase + random.nextInt(keys);
      case "s" -> "s" + random.nextInt(2);
      case "code" -> "c" + (keyBase + random.nextInt(keys));
      case "region" -> random.nextInt(2);
      default -> throw new IllegalArgumentException(column);
    };
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
      List<Object> values = new ArrayList<>(r.key());
      values.addAll(Arrays.asList(timestamp(r.ts()), timestamp(r.created()), r.f(), r.g()));
      rows.add(RowFactory.create(values.toArray()));
    }
    List<StructField> fields = new ArrayList<>();
    for (String key : view.keys()) {
      fields.add(field(key, SparkTypes.of(keyType(key))));
    }
    fields.add(field("event_timestamp", DataTypes.TimestampType));
    fields.add(field("created", DataTypes.TimestampType));
    fields.add(field("f", DataTypes.DoubleType));
    fields.add(field("g", DataTypes.LongType));
    StructType schema = schema(fields.toArray(StructField[]::new));
    SparkTestSession.get()
        .createDataFrame(rows, schema)
        .repartition(2)
        .write()
        .parquet(dir.resolve(view.name()).toString());
  }

  /** The type of a key column, of the source and entity columns alike. */
  private static ValueType keyType(String column) {
    return switch (column) {
      case "k" -> ValueType.INT64;
      case "region" -> ValueType.INT32;
      default -> ValueType.STRING;
    };
  }

  /** Entities {@code k} and {@code s} (one key each) and {@code store} (code, region). */
  private static List<String> entitiesOf(TestView view) {
    return view.keys().equals(STORE_KEYS) ? List.of("store") : view.keys();
  }

  private static Definitions definitions(List<TestView> views) {
    Duration ttl = Duration.ofNanos(TTL_MICROS * 1000);
    List<ParquetSource> sources = new ArrayList<>();
    List<FeatureView> featureViews = new ArrayList<>();
    for (TestView view : views) {
      sources.add(
          view.created()
              ? source(view.name() + "_source", view.name(), "created")
              : source(view.name() + "_source", view.name()));
      featureViews.add(
          view(
              view.name(),
              entitiesOf(view),
              view.name() + "_source",
              view.ttlMicros() == 0 ? Duration.ZERO : ttl,
              feature("f", ValueType.FLOAT64),
              feature("g", ValueType.INT64)));
    }
    return new Definitions(
        "random",
        List.of(
            entity("k", key("k", keyType("k"))),
            entity("s", key("s", keyType("s"))),
            entity(
                "store",
                key(STORE_KEYS.get(0), keyType(STORE_KEYS.get(0))),
                key(STORE_KEYS.get(1), keyType(STORE_KEYS.get(1))))),
        sources,
        featureViews,
        List.of());
  }
}
