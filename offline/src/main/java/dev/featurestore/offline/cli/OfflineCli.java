/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import dev.featurestore.registry.FeatureStoreException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The offline commands of {@code bin/featurestore}: {@code training-set}. */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    subcommands = TrainingSetCommand.class,
    description = "Offline feature store commands (Spark).")
public final class OfflineCli {
  /** Runs a command and exits: 0 success, 1 error (message on stderr), 2 bad usage. */
  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null
        && !Arrays.asList(args).contains("--verbose")) {
      System.setProperty("log4j2.configurationFile", "featurestore-cli-log4j2.properties");
    }
    System.exit(run(args));
  }

  /** Runs a command and returns the exit code. */
  public static int run(String... args) {
    return commandLineFor(new OfflineCli(), args).execute(args);
  }

  /** A command line with the error handling of every offline command. */
  public static CommandLine commandLineFor(Object command, String[] args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    return new CommandLine(command)
        .setExecutionExceptionHandler(
            (exception, commandLine, parseResult) -> {
              PrintWriter err = commandLine.getErr();
              if (exception instanceof FeatureStoreException e) {
                err.println(
                    (e.errorCode().isUserError() ? "Error: " : "Internal error: ")
                        + e.getMessage());
              } else {
                err.println("Internal error: " + exception);
              }
              if (verbose) {
                exception.printStackTrace(err);
              } else {
                err.println("(run with --verbose for details)");
              }
              err.flush();
              return 1;
            });
  }
}
