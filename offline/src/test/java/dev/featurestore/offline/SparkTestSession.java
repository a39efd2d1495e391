/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import org.apache.spark.sql.SparkSession;

/** The one local Spark session of the test JVM. */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  /** Returns the shared session, creating it on first use. */
  public static synchronized SparkSession get() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("offline-tests")
              .config("spark.sql.shuffle.partitions", "8")
              .config("spark.default.parallelism", "4")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.session.timeZone", "UTC")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
