/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one entry point: every module's commands, under the one policy. */
class FeaturestoreCliTest {
  record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    System.setOut(outStream);
    System.setErr(errStream);
    int code;
    try {
      code = FeaturestoreCli.run(outStream, errStream, args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandPrintsTheSameVersion() {
    Result version = run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("featurestore ").hasLineCount(1);
    for (String command :
        new String[] {
          "plan",
          "registry",
          "redis",
          "training-set",
          "materialize",
          "generate-example-data",
          "verify"
        }) {
      assertThat(run(command, "--version")).as(command).isEqualTo(version);
    }
  }

  @Test
  void everyCommandReportsBadUsageWithExitTwo() {
    for (String command : new String[] {"apply", "training-set", "materialize", "show", "verify"}) {
      Result result = run(command, "--bogus");
      assertThat(result.exitCode()).as(command).isEqualTo(2);
      assertThat(result.err())
          .as(command)
          .containsAnyOf("Unknown option: '--bogus'", "Missing required");
    }
  }

  @Test
  void anUnknownCommandIsBadUsage() {
    Result result = run("bogus");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("Unmatched argument at index 0: 'bogus'");
  }

  @Test
  void aUserErrorIsOneParagraphAndTheStackTraceComesOnlyWithVerbose() {
    for (String[] args :
        new String[][] {
          {"plan", "--repo", "/nonexistent/repo"},
          {"materialize-incremental", "--repo", "/nonexistent/repo", "--end", "now"},
          {"verify", "--repo", "/nonexistent/repo"}
        }) {
      Result plain = run(args);
      assertThat(plain.exitCode()).as(args[0]).isEqualTo(1);
      assertThat(plain.err()).as(args[0]).startsWith("Cannot open feature repo /nonexistent/repo");
      assertThat(plain.err().lines()).as(args[0]).hasSize(1);
    }
    Result verbose = run("plan", "--repo", "/nonexistent/repo", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(verbose.err()).startsWith("Cannot open feature repo ").contains("\tat ");
  }
}
