/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.commandrunner.CommandRunner;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * The registry commands of {@code bin/featurestore}: {@code plan}, {@code apply}, {@code registry
 * list|describe|history} and {@code redis status|start|stop} (the embedded Redis).
 *
 * <p>Exit codes and error reports follow {@link CommandRunner}: 0 success (also when {@code plan}
 * shows changes), 1 an error (one paragraph on stderr, the stack trace only with {@code
 * --verbose}), 2 bad usage.
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    description = "Validate, plan and apply feature definitions; read the registry.",
    subcommands = {
      PlanCommand.class,
      ApplyCommand.class,
      RegistryCommand.class,
      RedisCommand.class
    })
public final class RegistryCli {
  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    FeaturestoreCli.quietSlf4j();
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the command line in-process, writing to the given streams.
   *
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return CommandRunner.run(new RegistryCli(), out, err, args);
  }
}
