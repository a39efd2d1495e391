/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.unix_micros;

import dev.featurestore.offline.bench.ShapeData.Feature;
import dev.featurestore.offline.bench.ShapeData.View;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * What {@link ShapeBenchmark} compares this project with, both computing the contract of
 * docs/offline.md on {@link ShapeData}'s files: the naive Spark plan and DuckDB's ASOF joins.
 */
final class ShapeBaselines {
  private ShapeBaselines() {}

  /** Join on the keys and the time range, then keep row_number() = 1 per entity row and view. */
  static long[] naive(SparkSession spark, Path dir) {
    // Entity rows repeat (exact duplicates): each needs its own number to be ranked alone.
    Dataset<Row> entities =
        spark
            .read()
            .parquet(dir.resolve("entities").toString())
            .withColumn("__rid", monotonically_increasing_id());
    Row range =
        entities
            .selectExpr("unix_micros(min(event_timestamp))", "unix_micros(max(event_timestamp))")
            .first();
    Dataset<Row> result = entities;
    for (View view : ShapeData.VIEWS) {
      List<String> columns = new ArrayList<>();
      for (String key : view.keys()) {
        columns.add(key + " as __k_" + key);
      }
      columns.add("unix_micros(event_timestamp) as __fts");
      columns.add(
          view.created()
              ? "unix_micros(created) as __fcreated"
              : "cast(null as bigint) as __fcreated");
      for (Feature f : view.features()) {
        columns.add(f.name() + " as " + view.name() + "__" + f.name());
      }
      Dataset<Row> source =
          spark
              .read()
              .parquet(dir.resolve("data").resolve(view.name()).toString())
              .selectExpr(columns.toArray(String[]::new))
              .where(col("__fts").leq(range.getLong(1)));
      Column ts = unix_micros(result.col("event_timestamp"));
      Column condition = source.col("__fts").leq(ts);
      if (view.ttlDays() > 0) {
        source = source.where(col("__fts").geq(range.getLong(0) - view.ttlMicros()));
        condition = condition.and(source.col("__fts").geq(ts.minus(lit(view.ttlMicros()))));
      }
      for (String key : view.keys()) {
        condition = condition.and(result.col(key).equalTo(source.col("__k_" + key)));
      }
      List<Column> order =
          new ArrayList<>(
              List.of(col("__fts").desc_nulls_last(), col("__fcreated").desc_nulls_last()));
      for (Feature f : view.features()) {
        order.add(col(view.name() + "__" + f.name()).desc_nulls_last());
      }
      Dataset<Row> joined = result.join(source, condition, "left");
      result =
          joined
              .withColumn(
                  "__rn",
                  row_number()
                      .over(Window.partitionBy("__rid").orderBy(order.toArray(Column[]::new))))
              .where("__rn = 1")
              .drop("__rn", "__fts", "__fcreated")
              .drop(view.keys().stream().map(k -> "__k_" + k).toArray(String[]::new));
    }
    return writeAndCount(spark, result.drop("__rid"), dir.resolve("out-naive"));
  }

  /** One ASOF LEFT JOIN per view, over the best source row per key and event timestamp. */
  static long[] duckdb(SparkSession spark, Path dir) throws Exception {
    StringBuilder with = new StringBuilder("WITH ");
    StringBuilder select = new StringBuilder(" SELECT e.*");
    StringBuilder from =
        new StringBuilder(" FROM read_parquet('" + dir.resolve("entities") + "/*.parquet') e");
    for (int v = 0; v < ShapeData.VIEWS.size(); v++) {
      View view = ShapeData.VIEWS.get(v);
      String a = "v" + v;
      String keys = String.join(", ", view.keys());
      List<String> order = new ArrayList<>();
      if (view.created()) {
        order.add("created DESC NULLS LAST"); // a row without one loses to a row with one
      }
      for (Feature f : view.features()) {
        order.add(f.name() + " DESC NULLS LAST");
      }
      with.append(v == 0 ? "" : ", ")
          .append(a)
          .append(" AS (SELECT ")
          .append(keys)
          .append(", event_timestamp");
      view.features().forEach(f -> with.append(", ").append(f.name()));
      with.append(" FROM read_parquet('")
          .append(dir.resolve("data").resolve(view.name()))
          .append("/*.parquet') WHERE event_timestamp IS NOT NULL");
      view.keys().forEach(k -> with.append(" AND ").append(k).append(" IS NOT NULL"));
      with.append(" QUALIFY row_number() OVER (PARTITION BY ")
          .append(keys)
          .append(", event_timestamp ORDER BY ")
          .append(String.join(", ", order))
          .append(") = 1)");
      for (Feature f : view.features()) {
        String value = a + "." + f.name();
        if (view.ttlDays() > 0) {
          // Exactly TTL old is still valid; compared in epoch micros (no time zone arithmetic).
          value =
              String.format(
                  Locale.ROOT,
                  "CASE WHEN epoch_us(%s.event_timestamp) >= epoch_us(e.event_timestamp) - %d THEN %s END",
                  a,
                  view.ttlMicros(),
                  value);
        }
        select
            .append(", ")
            .append(value)
            .append(" AS ")
            .append(view.name())
            .append("__")
            .append(f.name());
      }
      from.append(" ASOF LEFT JOIN ").append(a).append(" ON ");
      for (String key : view.keys()) {
        from.append("e.")
            .append(key)
            .append(" = ")
            .append(a)
            .append('.')
            .append(key)
            .append(" AND ");
      }
      from.append("e.event_timestamp >= ").append(a).append(".event_timestamp");
    }
    Path out = dir.resolve("out-duckdb.parquet");
    try (Connection connection = DuckDb.open();
        Statement statement = connection.createStatement()) {
      statement.execute("COPY (" + with + select + from + ") TO '" + out + "' (FORMAT parquet)");
    }
    return counts(spark.read().parquet(out.toString()));
  }

  /** Writes the result as Parquet; returns {@link #counts} of what was written. */
  static long[] writeAndCount(SparkSession spark, Dataset<Row> result, Path out) {
    result.write().mode(SaveMode.Overwrite).parquet(out.toString());
    return counts(spark.read().parquet(out.toString()));
  }

  /** The row count and the non-null values of each view's first feature. */
  static long[] counts(Dataset<Row> written) {
    String matched =
        String.join(
            " + ",
            ShapeData.VIEWS.stream().map(v -> "count(" + v.references().get(0) + ")").toList());
    Row counts = written.selectExpr("count(*)", matched).first();
    return new long[] {counts.getLong(0), counts.getLong(1)};
  }
}
