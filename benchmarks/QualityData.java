/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the data of benchmarks/quality.sh: ROWS source rows of one feature view over ENTITIES
 * drivers, spread evenly over the 7 days before END (data/driver_stats), and an entity file of
 * ROWS / 10 labelled rows in the first half of that range (entities.parquet). In the second half
 * `conv_rate` is shifted up by 0.1 (planted drift); every other feature keeps its distribution.
 * Arguments: OUTPUT_DIR ROWS ENTITIES END.
 */
public class QualityData {
  public static void main(String[] args) {
    String out = args[0];
    long rows = Long.parseLong(args[1]);
    long entities = Long.parseLong(args[2]);
    long endSeconds = Instant.parse(args[3]).getEpochSecond();
    long span = 7L * 24 * 3600;
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    // Event time: row i at end - span + i * span / rows (strictly increasing, exactly 7 days).
    Column seconds = lit(endSeconds - span).plus(col("id").multiply(span).divide(rows).cast("long"));
    Column secondHalf = col("id").geq(rows / 2);
    List<Column> embedding = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      embedding.add(rand(10 + i).cast("float"));
    }
    Column conv = rand(1).multiply(0.8).plus(when(secondHalf, 0.1).otherwise(0.0));
    spark
        .range(0, rows)
        .select(
            col("id").mod(entities).plus(1).as("driver_id"),
            expr("timestamp_seconds(0)").as("t0"),
            seconds.as("s"),
            when(rand(7).lt(0.01), lit(null)).otherwise(conv).as("conv_rate"),
            rand(2).cast("float").as("acc_rate"),
            rand(3).multiply(100).cast("long").as("avg_daily_trips"),
            element_at(
                    array(lit("gold"), lit("silver"), lit("bronze")),
                    rand(4).multiply(3).cast("int").plus(1))
                .as("segment"),
            rand(5).lt(0.7).as("active"),
            array(embedding.toArray(new Column[0])).as("embedding"))
        .select(
            col("driver_id"),
            expr("timestamp_seconds(s)").as("event_timestamp"),
            col("conv_rate"),
            col("acc_rate"),
            col("avg_daily_trips"),
            col("segment"),
            col("active"),
            col("embedding"))
        .write()
        .mode("overwrite")
        .parquet(out + "/data/driver_stats");
    // Entity rows: 1 in 10 source rows of the first half, one second after their event.
    spark
        .range(0, rows / 2, 5)
        .select(
            col("id").mod(entities).plus(1).as("driver_id"),
            expr("timestamp_seconds(" + (endSeconds - span + 1) + " + id * " + span + " div " + rows + ")")
                .as("event_timestamp"))
        .write()
        .mode("overwrite")
        .parquet(out + "/entities.parquet");
    spark.stop();
  }
}
