/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import dev.featurestore.commandrunner.CommandRunner;
import java.util.Arrays;
import picocli.CommandLine.Command;

/**
 * The offline commands of {@code bin/featurestore}: {@code training-set}. Exit codes and error
 * reports follow {@link CommandRunner}.
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    subcommands = TrainingSetCommand.class,
    description = "Offline feature store commands (Spark).")
public final class OfflineCli {
  /** Runs a command and exits: 0 success, 1 error (message on stderr), 2 bad usage. */
  public static void main(String[] args) {
    quietSparkLogs(args);
    System.exit(run(args));
  }

  /**
   * Spark's own log lines (warnings included) go only with {@code --verbose} when no log4j2
   * configuration was chosen: the error report says what failed.
   */
  public static void quietSparkLogs(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null
        && !Arrays.asList(args).contains(CommandRunner.VERBOSE)) {
      System.setProperty("log4j2.configurationFile", "featurestore-cli-log4j2.properties");
    }
  }

  /** Runs a command and returns the exit code. */
  public static int run(String... args) {
    return CommandRunner.run(new OfflineCli(), args);
  }
}
