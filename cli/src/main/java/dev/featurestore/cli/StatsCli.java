/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.commandrunner.CommandRunner;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code featurestore stats} (Spark). Exit codes and error reports follow {@link CommandRunner}: 0
 * success, 1 an error (one paragraph on stderr), 2 bad usage.
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    subcommands = StatsCommand.class,
    description = "Statistics of feature values (Spark).")
final class StatsCli {
  private StatsCli() {}

  /** Runs a command line and returns its exit code. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    return CommandRunner.run(new StatsCli(), out, err, args);
  }
}
