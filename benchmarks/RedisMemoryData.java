/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/**
 * Writes one row per entity for benchmarks/redis-memory.sh: data/hourly (3 scalar features) and
 * data/daily (2 scalars and an 8-float embedding). Arguments: OUTPUT_DIR ENTITIES EVENT_TIME.
 */
public class RedisMemoryData {
  public static void main(String[] args) {
    String out = args[0];
    long entities = Long.parseLong(args[1]);
    Timestamp event = Timestamp.from(Instant.parse(args[2]));
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    spark
        .range(1, entities + 1)
        .select(
            col("id").as("driver_id"),
            lit(event).as("event_timestamp"),
            rand(1).as("conv_rate"),
            rand(2).cast("float").as("acc_rate"),
            rand(3).multiply(100).cast("long").as("avg_daily_trips"))
        .write()
        .mode("overwrite")
        .parquet(out + "/hourly");
    List<Column> embedding = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      embedding.add(rand(10 + i).cast("float"));
    }
    spark
        .range(1, entities + 1)
        .select(
            col("id").as("driver_id"),
            lit(event).as("event_timestamp"),
            rand(4).multiply(200).cast("long").as("trips_last_7d"),
            rand(5).multiply(5).as("rating"),
            array(embedding.toArray(new Column[0])).as("embedding"))
        .write()
        .mode("overwrite")
        .parquet(out + "/daily");
    spark.stop();
  }
}
