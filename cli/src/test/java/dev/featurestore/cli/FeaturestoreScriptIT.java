/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The parts of {@code bin/featurestore} that answer before anything is built or run. */
class FeaturestoreScriptIT {
  static final Path SCRIPT = Path.of("..", "bin", "featurestore");

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), out, err);
  }

  @Test
  void helpListsEveryCommandWithOneLine() throws Exception {
    for (String[] args : new String[][] {{}, {"--help"}, {"-h"}}) {
      Result help = run(args);

      assertThat(help.exitCode()).isZero();
      assertThat(help.err()).isEmpty();
      assertThat(
              help.out().lines().filter(l -> l.startsWith("  ")).map(l -> l.trim().split(" ")[0]))
          .containsExactly(
              "plan",
              "apply",
              "registry",
              "training-set",
              "materialize",
              "materialize-incremental",
              "stats",
              "drift",
              "verify",
              "report",
              "serve",
              "redis",
              "generate-example-data",
              "show");
    }
  }

  @Test
  void unknownCommandsAndOptionsAloneAreBadUsage() throws Exception {
    Result unknown = run("bogus", "--repo", "x");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err()).startsWith("Unknown command: 'bogus'\n").contains("Commands:");

    Result optionsOnly = run("--repo");
    assertThat(optionsOnly.exitCode()).isEqualTo(2);
    assertThat(optionsOnly.err()).startsWith("Usage: bin/featurestore <command>");
  }
}
