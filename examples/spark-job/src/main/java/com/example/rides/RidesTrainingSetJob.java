/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package com.example.rides;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_timestamp;

import dev.featurestore.offline.HistoricalFeatures;
import dev.featurestore.offline.TrainingSetOptions;
import dev.featurestore.registry.repo.FeatureRepo;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A user's Spark batch job: joins labelled ride requests with the point-in-time-correct features of
 * the feature service {@code driver_ranking} and writes the training set as Parquet.
 *
 * <p>Arguments: {@code REPO [OUTPUT]} (default output: REPO/data/training_set_spark_job). The Spark
 * master comes from spark-submit, or from {@code -Dspark.master=local[*]} when run with java.
 */
public final class RidesTrainingSetJob {
  private RidesTrainingSetJob() {}

  public static void main(String[] args) {
    Path repo = Path.of(args.length > 0 ? args[0] : "examples/rides");
    String output =
        args.length > 1 ? args[1] : repo.resolve("data/training_set_spark_job").toString();
    SparkSession spark =
        SparkSession.builder()
            .appName("rides training set")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    try {
      long rows = run(spark, repo, output);
      System.out.printf("Wrote %,d training rows to %s%n", rows, output);
      spark.read().parquet(output).show(5, false);
    } finally {
      spark.stop();
    }
  }

  /** Builds the training set of the repo's ride requests into {@code output}; returns its rows. */
  public static long run(SparkSession spark, Path repo, String output) {
    // The labelled entity dataframe: one row per ride request, with the time the prediction is
    // made.
    Dataset<Row> requests =
        spark
            .read()
            .option("header", true)
            .csv(repo.resolve("data/ride_requests.csv").toString())
            .select(
                col("request_id").cast("long"),
                col("driver_id").cast("long"), // join keys have the entities' types (int64)
                col("customer_id").cast("long"),
                to_timestamp(col("event_timestamp")).as("event_timestamp"),
                col("trip_completed").cast("int").as("label"));

    // The latest applied registry version of the repo (run `featurestore apply` first).
    HistoricalFeatures features = HistoricalFeatures.of(spark, FeatureRepo.open(repo));
    Dataset<Row> training =
        features.historicalFeaturesForService(
            requests, "driver_ranking", TrainingSetOptions.defaults());

    training.write().mode(SaveMode.Overwrite).parquet(output);
    return spark.read().parquet(output).count();
  }
}
