/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.commandrunner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CommandRunnerTest {
  record Result(int exitCode, String out, String err) {}

  @Command(name = "tool", mixinStandardHelpOptions = true, subcommands = Sub.class)
  static final class Tool {}

  @Command(name = "sub", mixinStandardHelpOptions = true)
  static final class Sub implements Callable<Integer> {
    @Option(names = "--fail")
    String fail;

    @Option(names = "--verbose")
    boolean verbose;

    @Override
    public Integer call() {
      if (fail == null) {
        System.out.flush();
        return 0;
      }
      RuntimeException user =
          FeatureStoreException.of(
              ErrorCode.INVALID_ARGUMENT, "Cannot run sub: --fail is %s", fail);
      return switch (fail) {
        case "user" -> throw user;
        case "wrapped" -> throw new IllegalStateException("Job aborted", user);
        case "breaking" ->
            throw new IllegalStateException(
                "wrapped",
                FeatureStoreException.of(
                    ErrorCode.BREAKING_CHANGE, "Cannot apply: 1 breaking change"));
        case "bug" -> throw new IllegalStateException("boom");
        default -> 0;
      };
    }
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CommandRunner.run(new Tool(), new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void successExitsZero() {
    assertThat(run("sub")).isEqualTo(new Result(0, "", ""));
  }

  @Test
  void aUserErrorIsOneParagraphWithExitCodeOne() {
    assertThat(run("sub", "--fail", "user"))
        .isEqualTo(new Result(1, "", "Cannot run sub: --fail is user" + System.lineSeparator()));
  }

  @Test
  void aBreakingChangeExitsThree() {
    assertThat(run("sub", "--fail", "breaking"))
        .isEqualTo(
            new Result(
                CommandRunner.BREAKING_CHANGE,
                "",
                "Cannot apply: 1 breaking change" + System.lineSeparator()));
    assertThat(CommandRunner.BREAKING_CHANGE).isEqualTo(3);
  }

  @Test
  void anErrorWrappedByAnotherLayerReportsTheFeatureStoreMessage() {
    assertThat(run("sub", "--fail", "wrapped").err())
        .isEqualTo("Cannot run sub: --fail is wrapped" + System.lineSeparator());
  }

  @Test
  void anUnexpectedExceptionIsAnInternalErrorPointingToVerbose() {
    Result result = run("sub", "--fail", "bug");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "Internal error: java.lang.IllegalStateException: boom (run with --verbose for the"
                + " stack trace)"
                + System.lineSeparator());
  }

  @Test
  void verboseAddsTheStackTrace() {
    Result result = run("sub", "--fail", "user", "--verbose");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("Cannot run sub: --fail is user" + System.lineSeparator())
        .contains("dev.featurestore.registry.FeatureStoreException: Cannot run sub")
        .contains("\tat ");
  }

  @Test
  void badUsageExitsTwoWithPicocliMessage() {
    Result result = run("sub", "--bogus");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Unknown option: '--bogus'").doesNotContain("\tat ");
  }

  @Test
  void everyCommandPrintsTheVersion() {
    assertThat(run("--version")).isEqualTo(new Result(0, "featurestore (development)\n", ""));
    assertThat(run("sub", "--version"))
        .isEqualTo(new Result(0, "featurestore (development)\n", ""));
  }

  @Test
  void theMessageOfAnUnexpectedExceptionNamesIt() {
    assertThat(CommandRunner.message(new RuntimeException("x", null)))
        .isEqualTo(
            "Internal error: java.lang.RuntimeException: x (run with --verbose for the stack"
                + " trace)");
  }
}
