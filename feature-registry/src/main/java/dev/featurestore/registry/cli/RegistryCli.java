/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.cli;

import dev.featurestore.registry.FeatureStoreException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The registry commands of {@code bin/featurestore}: {@code plan}, {@code apply} and {@code
 * registry list|describe|history}.
 *
 * <p>Exit codes: 0 success (also when {@code plan} shows changes), 1 a user error (one paragraph on
 * stderr, the stack trace only with {@code --verbose}), 2 bad usage.
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    versionProvider = RegistryCli.Version.class,
    description = "Validate, plan and apply feature definitions; read the registry.",
    subcommands = {PlanCommand.class, ApplyCommand.class, RegistryCommand.class})
public final class RegistryCli {
  /** Exit code of a user or system error. */
  public static final int ERROR = 1;

  /** Exit code of bad usage (unknown command or option, missing argument). */
  public static final int USAGE = 2;

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    // Avro logs through SLF4J; a command line has no provider and needs no warning about it.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the command line in-process, writing to the given streams.
   *
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine commandLine = new CommandLine(new RegistryCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          report(exception, err, verbose);
          return ERROR;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  private static void report(Exception exception, PrintWriter err, boolean verbose) {
    if (exception instanceof FeatureStoreException e) {
      err.println(e.getMessage());
    } else {
      err.println("Internal error: " + exception + " (run with --verbose for the stack trace)");
    }
    if (verbose) {
      exception.printStackTrace(err);
    }
  }

  /** Prints the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RegistryCli.class.getPackage().getImplementationVersion();
      return new String[] {"featurestore " + (version == null ? "(development)" : version)};
    }
  }
}
