/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.spark.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of a test JVM, shared by every Spark test of {@code spark-common},
 * {@code offline} and {@code materializer} (shipped in spark-common's test-jar): {@code local[2]},
 * 8 shuffle partitions, UI off, bound to loopback, session time zone UTC.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  /** Returns the shared session, creating it on first use. */
  public static synchronized SparkSession get() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("featurestore-tests")
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
