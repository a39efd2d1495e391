/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.commandrunner;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one way a {@code featurestore} entry point runs a picocli command: the command-line tools,
 * {@code serve}, and the {@code spark-submit} jobs.
 *
 * <ul>
 *   <li>Exit code {@value #SUCCESS} on success, {@value #ERROR} when the command fails (bad input,
 *       an unreachable Redis, a bug), {@value #USAGE} on bad usage (unknown command or option,
 *       missing or malformed argument: picocli's message and the usage help), {@value
 *       #BREAKING_CHANGE} when the command stopped on a breaking change ({@code plan
 *       --fail-on-breaking}, {@code apply} without {@code --allow-breaking}: a {@link
 *       FeatureStoreException} with {@link ErrorCode#BREAKING_CHANGE}), so that a CI gate can tell
 *       it from invalid definitions.
 *   <li>A failure is one paragraph on stderr: the message of the first {@link
 *       FeatureStoreException} in the cause chain (so an error raised inside a Spark task reads the
 *       same as one raised on the driver), else {@code Internal error: <exception> (run with
 *       --verbose for the stack trace)}.
 *   <li>{@value #VERBOSE}, on the command or any of its subcommands, adds the stack trace.
 *   <li>{@code --version} prints {@code featurestore <version>} on every command that has the
 *       standard help options.
 * </ul>
 */
public final class CommandRunner {
  /** Exit code of success. */
  public static final int SUCCESS = 0;

  /** Exit code of a failed command: a user error, an unavailable system or a bug. */
  public static final int ERROR = 1;

  /** Exit code of bad usage (unknown command or option, missing or malformed argument). */
  public static final int USAGE = 2;

  /**
   * Exit code of a command that stopped on a breaking change of the plan: {@code plan
   * --fail-on-breaking}, or {@code apply} without {@code --allow-breaking}.
   */
  public static final int BREAKING_CHANGE = 3;

  /** The option that adds stack traces to error reports. */
  public static final String VERBOSE = "--verbose";

  private CommandRunner() {}

  /**
   * Runs a command line on standard output and error, and returns its exit code.
   *
   * @param command a picocli {@code @Command} object
   * @param args the arguments
   */
  public static int run(Object command, String... args) {
    return run(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * Runs a command line, writing to the given streams, and returns its exit code.
   *
   * @param command a picocli {@code @Command} object
   * @param out where the command's output and help go
   * @param err where errors go
   * @param args the arguments
   */
  public static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
    int code = commandLine(command, out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * A command line with this policy's error handling and version, for callers that need the {@link
   * CommandLine} itself (e.g. to add subcommands first).
   */
  public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parsed) -> {
          report(exception, failed.getErr(), verbose(parsed));
          return exitCode(exception);
        });
    addVersion(commandLine);
    return commandLine;
  }

  /**
   * Writes the report of a failure: its one-paragraph message, then the stack trace when {@code
   * verbose}. For failures outside a picocli command (e.g. a server that fails after start-up).
   */
  public static void report(Throwable failure, PrintWriter err, boolean verbose) {
    err.println(message(failure));
    if (verbose) {
      failure.printStackTrace(err);
    }
    err.flush();
  }

  /**
   * The one-paragraph message of a failure: the first {@link FeatureStoreException} in its cause
   * chain, else an internal error naming the exception.
   */
  public static String message(Throwable failure) {
    return firstFeatureStoreException(failure)
        .map(Throwable::getMessage)
        .orElse("Internal error: " + failure + " (run with " + VERBOSE + " for the stack trace)");
  }

  /**
   * The exit code of a failure: {@value #BREAKING_CHANGE} when the first {@link
   * FeatureStoreException} in its cause chain has {@link ErrorCode#BREAKING_CHANGE}, else {@value
   * #ERROR}.
   */
  public static int exitCode(Throwable failure) {
    return firstFeatureStoreException(failure)
        .filter(e -> e.errorCode() == ErrorCode.BREAKING_CHANGE)
        .map(e -> BREAKING_CHANGE)
        .orElse(ERROR);
  }

  private static Optional<FeatureStoreException> firstFeatureStoreException(Throwable failure) {
    int depth = 0;
    for (Throwable cause = failure; cause != null && depth < 100; cause = cause.getCause()) {
      if (cause instanceof FeatureStoreException e) {
        return Optional.of(e);
      }
      depth++;
    }
    return Optional.empty();
  }

  /** Whether {@value #VERBOSE} was given to the command or any of its subcommands. */
  static boolean verbose(ParseResult parsed) {
    for (ParseResult result = parsed; result != null; result = result.subcommand()) {
      if (result.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  private static void addVersion(CommandLine commandLine) {
    CommandSpec spec = commandLine.getCommandSpec();
    if (spec.versionProvider() == null && spec.version().length == 0) {
      spec.versionProvider(new Version(spec.userObject()));
    }
    commandLine.getSubcommands().values().forEach(CommandRunner::addVersion);
  }

  /** {@code featurestore <version>}, the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    private final Object command;

    Version(Object command) {
      this.command = command;
    }

    @Override
    public String[] getVersion() {
      return new String[] {"featurestore " + version(command)};
    }

    static String version(Object command) {
      String version =
          command == null ? null : command.getClass().getPackage().getImplementationVersion();
      if (version == null) {
        version = CommandRunner.class.getPackage().getImplementationVersion();
      }
      return version == null ? "(development)" : version;
    }
  }
}
