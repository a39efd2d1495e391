/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The data and the feature repo of issue 15's request shape: entity rows with two entities, {@code
 * driver} ({@code driver_id int64}) and {@code store} (the composite key {@code store_code string,
 * store_region int32}), and three views: {@code driver_stats} (7 days TTL, created timestamps),
 * {@code driver_profile} (no TTL, no created timestamp) and {@code store_sales} (30 days TTL,
 * created timestamps). The sources hold about 2% exact duplicate rows and about 1% null keys; event
 * timestamps fall on whole hours, so rows of one key share a timestamp now and then (the tie rules
 * decide); the entity rows hold about 2% exact duplicates, about 1% null keys per entity, and 10%
 * of their timestamps fall on whole hours (exactly at a source row, or exactly a TTL after one).
 * Everything is a function of the row number: the same arguments give the same files.
 *
 * <p>The case folder is the feature repo: {@code featurestore.yaml}, {@code features/*.yaml},
 * {@code data/<view>} and {@code entities}.
 */
final class ShapeData {
  static final long DRIVERS = 100_000;
  static final int STORE_CODES = 5_000;
  static final int STORE_REGIONS = 4;
  static final long BASE_MICROS = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli() * 1000;
  static final long HOUR_MICROS = 3_600_000_000L;
  static final long DAY_MICROS = 24 * HOUR_MICROS;
  static final long SPAN_HOURS = 90 * 24;

  /** A feature: its name, definition type, Spark SQL type and generating expression. */
  record Feature(String name, String type, String sqlType, String expression) {}

  /**
   * A view of the shape.
   *
   * @param share its part of the source rows
   */
  record View(
      String name,
      String entity,
      List<String> keys,
      int ttlDays,
      boolean created,
      double share,
      List<Feature> features) {
    long ttlMicros() {
      return ttlDays * DAY_MICROS;
    }

    List<String> references() {
      return features.stream().map(f -> name + "__" + f.name()).toList();
    }
  }

  static final List<View> VIEWS =
      List.of(
          new View(
              "driver_stats",
              "driver",
              List.of("driver_id"),
              7,
              true,
              0.4,
              List.of(
                  new Feature(
                      "conv_rate", "float64", "double", nullable(5, "pmod(%s, 1000000) / 1e6")),
                  new Feature("trips", "int64", "bigint", nullable(6, "pmod(%s, 100)")))),
          new View(
              "driver_profile",
              "driver",
              List.of("driver_id"),
              0,
              false,
              0.2,
              List.of(
                  new Feature(
                      "rating", "float64", "double", nullable(5, "1 + pmod(%s, 400) / 100.0")),
                  new Feature(
                      "tier",
                      "string",
                      "string",
                      nullable(
                          6,
                          "element_at(array('bronze', 'silver', 'gold'), cast(1 + pmod(%s, 3) as int))")))),
          new View(
              "store_sales",
              "store",
              List.of("store_code", "store_region"),
              30,
              true,
              0.4,
              List.of(
                  new Feature(
                      "revenue", "float64", "double", nullable(5, "pmod(%s, 100000) / 10.0")),
                  new Feature(
                      "orders", "int32", "int", nullable(6, "cast(pmod(%s, 500) as int)")))));

  private ShapeData() {}

  /** A feature expression of {@code hash(salt)}, null in 2% of the rows. */
  private static String nullable(int salt, String expression) {
    return "CASE WHEN pmod(xxhash64(id, VIEW, "
        + (salt + 20)
        + "), 50) = 0 THEN NULL ELSE "
        + String.format(Locale.ROOT, expression, "xxhash64(id, VIEW, " + salt + ")")
        + " END";
  }

  /** The feature references of the request, e.g. {@code driver_stats:*}. */
  static List<String> references() {
    return VIEWS.stream().map(v -> v.name() + ":*").toList();
  }

  /** The key expressions of an entity, from {@code hash(salt)} values of the row number. */
  private static List<String> keyColumns(String entity, String salt, long drivers) {
    if (entity.equals("driver")) {
      return List.of(
          "CASE WHEN pmod(xxhash64(id, "
              + salt
              + ", 1), 100) = 0 THEN NULL ELSE pmod(xxhash64(id, "
              + salt
              + ", 2), "
              + drivers
              + ") END as driver_id");
    }
    return List.of(
        "CASE WHEN pmod(xxhash64(id, "
            + salt
            + ", 3), 200) = 0 THEN NULL ELSE concat('S',"
            + " lpad(cast(pmod(xxhash64(id, "
            + salt
            + ", 4), "
            + STORE_CODES
            + ") as string), 5, '0')) END as store_code",
        "CASE WHEN pmod(xxhash64(id, "
            + salt
            + ", 5), 200) = 0 THEN NULL ELSE cast(pmod(xxhash64(id, "
            + salt
            + ", 6), "
            + STORE_REGIONS
            + ") as int) END as store_region");
  }

  /** The row numbers {@code 0..base-1}, and again about 2% of them (exact duplicates). */
  private static Dataset<Row> ids(SparkSession spark, long rows, int salt) {
    long base = Math.round(rows / 1.02);
    return spark
        .range(0, base, 1, 8)
        .toDF()
        .union(spark.range(0, base, 1, 2).toDF().where("pmod(xxhash64(id, " + salt + "), 50) = 0"));
  }

  /**
   * Writes the case folder unless it is complete already (a {@code _generated} marker).
   *
   * @return the case folder, which is the feature repo
   */
  static Path generate(SparkSession spark, Path dir, long entityRows, long sourceRows) {
    Path done = dir.resolve("_generated");
    if (Files.exists(done)) {
      return dir;
    }
    for (int v = 0; v < VIEWS.size(); v++) {
      View view = VIEWS.get(v);
      List<String> columns = new ArrayList<>(keyColumns(view.entity(), String.valueOf(v), DRIVERS));
      String hour = "pmod(xxhash64(id, " + v + ", 7), " + SPAN_HOURS + ")";
      columns.add(
          "timestamp_micros("
              + BASE_MICROS
              + " + "
              + hour
              + " * "
              + HOUR_MICROS
              + ") as event_timestamp");
      if (view.created()) {
        // Within the hour after the event; 5% without one (they lose every tie).
        columns.add(
            "CASE WHEN pmod(xxhash64(id, "
                + v
                + ", 8), 20) = 0 THEN NULL ELSE timestamp_micros("
                + BASE_MICROS
                + " + "
                + hour
                + " * "
                + HOUR_MICROS
                + " + pmod(xxhash64(id, "
                + v
                + ", 9), 60) * 60000000) END as created");
      }
      for (Feature f : view.features()) {
        columns.add(
            "cast("
                + f.expression().replace("VIEW", String.valueOf(v))
                + " as "
                + f.sqlType()
                + ") as "
                + f.name());
      }
      ids(spark, Math.round(sourceRows * view.share()), 70 + v)
          .selectExpr(columns.toArray(String[]::new))
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(dir.resolve("data").resolve(view.name()).toString());
    }
    List<String> entity = new ArrayList<>();
    entity.add("id as row_id");
    // 10% more driver ids than the sources have: some entity rows have no source rows at all.
    entity.addAll(keyColumns("driver", "50", DRIVERS + DRIVERS / 10));
    entity.addAll(keyColumns("store", "50", DRIVERS));
    // From day 14 to day 90; 10% on a whole hour (at a source row, or exactly a TTL after one).
    long from = BASE_MICROS + 14 * DAY_MICROS;
    long span = (SPAN_HOURS - 14 * 24) * HOUR_MICROS;
    entity.add(
        "timestamp_micros("
            + from
            + " + CASE WHEN pmod(xxhash64(id, 51), 10) = 0 THEN pmod(xxhash64(id, 52), "
            + (span / HOUR_MICROS)
            + ") * "
            + HOUR_MICROS
            + " ELSE pmod(xxhash64(id, 52), "
            + span
            + ") END) as event_timestamp");
    entity.add("cast(pmod(xxhash64(id, 53), 2) as int) as label");
    ids(spark, entityRows, 80)
        .selectExpr(entity.toArray(String[]::new))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(dir.resolve("entities").toString());
    writeRepo(dir);
    try {
      Files.writeString(done, "entity rows " + entityRows + ", source rows " + sourceRows + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** {@code featurestore.yaml} and {@code features/*.yaml} for the views above. */
  static void writeRepo(Path dir) {
    StringBuilder entities = new StringBuilder("entities:\n");
    entities.append("  - name: driver\n    join_keys: {driver_id: int64}\n");
    entities.append("  - name: store\n    join_keys: {store_code: string, store_region: int32}\n");
    try {
      Files.createDirectories(dir.resolve("features"));
      Files.writeString(
          dir.resolve("featurestore.yaml"),
          "project: shape\nregistry: .featurestore/registry\noffline:\n  spark_master: local[*]\n");
      Files.writeString(dir.resolve("features/entities.yaml"), entities.toString());
      for (String entity : List.of("driver", "store")) {
        StringBuilder sources = new StringBuilder("sources:\n");
        StringBuilder views = new StringBuilder("feature_views:\n");
        for (View view : VIEWS) {
          if (!view.entity().equals(entity)) {
            continue;
          }
          sources.append("  - name: ").append(view.name()).append("_src\n");
          sources.append("    parquet: data/").append(view.name()).append('\n');
          sources.append("    timestamp_field: event_timestamp\n");
          if (view.created()) {
            sources.append("    created_timestamp_field: created\n");
          }
          views.append("  - name: ").append(view.name()).append('\n');
          views.append("    entities: [").append(entity).append("]\n");
          views.append("    source: ").append(view.name()).append("_src\n");
          if (view.ttlDays() > 0) {
            views.append("    ttl: ").append(view.ttlDays()).append("d\n");
          }
          views.append("    features:\n");
          for (Feature f : view.features()) {
            views
                .append("      - {name: ")
                .append(f.name())
                .append(", type: ")
                .append(f.type())
                .append("}\n");
          }
        }
        Files.writeString(dir.resolve("features/" + entity + ".yaml"), sources + "\n" + views);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
