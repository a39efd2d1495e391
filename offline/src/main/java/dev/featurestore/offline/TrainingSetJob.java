/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import dev.featurestore.commandrunner.CommandRunner;
import dev.featurestore.offline.cli.TrainingSetCommand;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: the arguments of {@code featurestore training-set}.
 *
 * <pre>
 * spark-submit --class dev.featurestore.offline.TrainingSetJob --master yarn \
 *   offline/target/offline-0.1.0-SNAPSHOT.jar --repo DIR --entities FILE \
 *   --features driver_stats:conv_rate --output DIR
 * </pre>
 */
public final class TrainingSetJob {
  private TrainingSetJob() {}

  /** Runs the job, stops the session and exits with the command's exit code. */
  public static void main(String[] args) {
    int code = run(args);
    SparkSession.getActiveSession()
        .foreach(
            s -> {
              s.stop();
              return null;
            });
    System.exit(code);
  }

  /**
   * Runs the job in the current JVM and returns the exit code ({@link CommandRunner}: 0 success, 1
   * error, 2 usage).
   */
  public static int run(String... args) {
    String[] arguments =
        args.length > 0 && args[0].equals("training-set")
            ? Arrays.copyOfRange(args, 1, args.length)
            : args;
    return CommandRunner.run(new TrainingSetCommand(), arguments);
  }
}
