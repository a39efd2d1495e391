/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.materializer.cli.MaterializerCli;
import dev.featurestore.offline.cli.OfflineCli;
import dev.featurestore.offline.examples.ExamplesCli;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The one entry point of {@code bin/featurestore} for every command but {@code serve} (which runs
 * the online service's own jar): hands the command line to the module that implements the command,
 * all under {@link dev.featurestore.commandrunner.CommandRunner}'s policy. The one thing it adds is
 * the command layer's embedded Redis ({@link EmbeddedRedisStep}) for {@code materialize}.
 */
public final class FeaturestoreCli {
  private FeaturestoreCli() {}

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    quietSlf4j();
    OfflineCli.quietSparkLogs(args);
    System.exit(run(System.out, System.err, args));
  }

  /** Runs the command line in-process and returns its exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    String command = commandName(args);
    return switch (command) {
      case "training-set" -> OfflineCli.run(args);
      case "materialize", "materialize-incremental" ->
          MaterializerCli.run(args, out, err, EmbeddedRedisStep::redisOf);
      case "generate-example-data", "show" -> ExamplesCli.run(args);
      case "drift" ->
          DriftCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
      case "verify" -> VerifyCommand.run(out, err, args);
      case "stats" -> StatsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
      default -> RegistryCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    };
  }

  /** The first argument that is not an option, or "" (then the registry CLI reports the usage). */
  static String commandName(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return "";
  }

  /** Avro logs through SLF4J; a command line has no provider and needs no warning about it. */
  static void quietSlf4j() {
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
  }
}
