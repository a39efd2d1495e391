/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.spark;

import static java.util.Objects.requireNonNull;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one way the commands ({@code training-set}, {@code materialize}) get their Spark session.
 *
 * <p><b>Master precedence:</b> {@code spark.master} when it is set ({@code spark-submit --master},
 * {@code -Dspark.master=...}, or {@code spark-defaults.conf} under {@code spark-submit}) &gt; the
 * repo's {@code offline.spark_master} &gt; {@value #DEFAULT_MASTER}. A session that is already
 * active (a test's, or one the caller built) is returned as it is, with the runtime settings below.
 *
 * <p><b>Settings</b>, each only when not set already: {@code spark.sql.session.timeZone=UTC};
 * {@code spark.ui.enabled=false}; {@code spark.sql.parquet.inferTimestampNTZ.enabled=false} (a
 * Parquet timestamp without time zone is read as UTC, as CSV entity timestamps are); and for a
 * {@code local} master the driver bound to 127.0.0.1 and {@code spark.sql.shuffle.partitions} of
 * twice the cores (at least 8) instead of 200. The log level is WARN; in a local run a failed task
 * is not logged with its stack trace by Spark (the command reports it in one paragraph).
 */
public final class SparkSessions {
  /** The master when neither {@code spark.master} nor the repo names one. */
  public static final String DEFAULT_MASTER = "local[*]";

  static final String EXECUTOR_LOGGER = "org.apache.spark.executor.Executor";
  static final String TASK_SET_MANAGER_LOGGER = "org.apache.spark.scheduler.TaskSetManager";

  private SparkSessions() {}

  /** Returns the session of a command run without a repo master ({@value #DEFAULT_MASTER}). */
  public static SparkSession open(String appName) {
    return open(appName, DEFAULT_MASTER);
  }

  /**
   * Returns the session of a command.
   *
   * @param appName the application name, e.g. {@code featurestore materialize}
   * @param repoMaster the repo's {@code offline.spark_master}, used unless {@code spark.master} is
   *     set
   */
  public static SparkSession open(String appName, String repoMaster) {
    requireNonNull(appName, "appName is null");
    requireNonNull(repoMaster, "repoMaster is null");
    SparkConf conf = new SparkConf(); // spark.* system properties: what spark-submit set
    String master = conf.get("spark.master", repoMaster.isBlank() ? DEFAULT_MASTER : repoMaster);
    SparkSession.Builder builder = SparkSession.builder().appName(appName).master(master);
    defaultTo(builder, conf, "spark.sql.session.timeZone", "UTC");
    defaultTo(builder, conf, "spark.ui.enabled", "false");
    defaultTo(builder, conf, "spark.sql.parquet.inferTimestampNTZ.enabled", "false");
    if (master.startsWith("local")) {
      defaultTo(builder, conf, "spark.driver.host", "127.0.0.1");
      defaultTo(builder, conf, "spark.driver.bindAddress", "127.0.0.1");
      int partitions = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
      defaultTo(builder, conf, "spark.sql.shuffle.partitions", String.valueOf(partitions));
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    if (master.startsWith("local")) {
      quietTaskFailures();
    }
    return spark;
  }

  /**
   * In a local run the executors live in this JVM and log to the user's terminal. A failed task (a
   * corrupt file, a bad value) is reported once, by the command, in one paragraph whose cause chain
   * keeps the stack trace for {@code --verbose}; so the executor's ERROR and the scheduler's "Lost
   * task" WARN, each with the full stack trace, are not logged as well. The scheduler's one-line
   * ERROR "aborting job" and everything else stay.
   */
  static void quietTaskFailures() {
    Configurator.setLevel(EXECUTOR_LOGGER, Level.OFF);
    Configurator.setLevel(TASK_SET_MANAGER_LOGGER, Level.ERROR);
  }

  private static void defaultTo(
      SparkSession.Builder builder, SparkConf conf, String key, String value) {
    if (!conf.contains(key)) {
      builder.config(key, value);
    }
  }
}
