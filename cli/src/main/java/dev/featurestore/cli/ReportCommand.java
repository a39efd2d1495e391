/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.commandrunner.CommandRunner;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.report.DriftResults;
import dev.featurestore.report.QualityReport;
import dev.featurestore.report.ReportData;
import dev.featurestore.report.ResultFiles;
import dev.featurestore.report.VerifyResults;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code featurestore report}: writes the data quality report of a repo's registry as one
 * self-contained HTML file ({@link QualityReport}). Exit 0 when written (stale views and failed
 * checks are in the report, not errors), 1 on an error, 2 on bad usage.
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    subcommands = ReportCommand.Report.class)
final class ReportCommand {
  private final PrintStream out;
  private final Clock clock;

  ReportCommand(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Runs {@code report ...} and returns its exit code. */
  static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, Clock.systemUTC(), args);
  }

  static int run(PrintStream out, PrintStream err, Clock clock, String... args) {
    return CommandRunner.run(
        new ReportCommand(out, clock),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        args);
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the data quality report as one self-contained HTML file (no network needed to"
            + " view it): per feature view its freshness, latest statistics with a histogram or"
            + " top-values chart per feature, check results and the statistics history; and the"
            + " drift and verify tables when their JSON results are given."
      })
  static final class Report implements Callable<Integer> {
    @ParentCommand ReportCommand command;

    @Mixin RepoOptions repo;

    @Option(
        names = "--output",
        required = true,
        paramLabel = "FILE",
        description = "The HTML file to write (its folder must exist); replaced if present.")
    Path output;

    @Option(
        names = "--drift-json",
        paramLabel = "FILE",
        description = "The output of 'featurestore drift --json' to show as the drift table.")
    Path driftJson;

    @Option(
        names = "--verify-json",
        paramLabel = "FILE",
        description = "The output of 'featurestore verify --json' to show as the verify table.")
    Path verifyJson;

    @Override
    public Integer call() {
      Path folder = output.toAbsolutePath().getParent();
      if (folder == null || !Files.isDirectory(folder)) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot write the report to %s: the folder %s does not exist (create it first)",
            output,
            folder);
      }
      Optional<DriftResults> drift = Optional.ofNullable(driftJson).map(ResultFiles::drift);
      Optional<VerifyResults> verify = Optional.ofNullable(verifyJson).map(ResultFiles::verify);
      FileFeatureRepo featureRepo = repo.open();
      Registry registry = featureRepo.registry();
      RegistryVersion version =
          registry
              .latest()
              .orElseThrow(
                  () ->
                      FeatureStoreException.of(
                          ErrorCode.NOT_FOUND,
                          "Cannot write the report of project '%s': nothing has been applied to"
                              + " its registry %s yet (run: featurestore apply --repo %s)",
                          featureRepo.config().project(),
                          registry.location(),
                          repo.repo));
      ReportData data =
          QualityReport.collect(registry, version, command.clock.instant(), drift, verify);
      QualityReport.write(data, output);
      List<String> stale = data.staleViews();
      command.out.printf(
          "Wrote the data quality report of project '%s' (registry version %d, %d feature"
              + " views) to %s%n",
          version.definitions().project(),
          version.number(),
          data.views().size(),
          output.toAbsolutePath().normalize());
      command.out.printf(
          "  stale views: %s; failed checks in the latest runs: %d%s%s%n",
          stale.isEmpty() ? "none" : String.join(", ", stale),
          data.failedChecks(),
          drift.map(d -> d.drifted() ? "; drift found" : "; no drift").orElse(""),
          verify
              .map(
                  v ->
                      v.consistent()
                          ? "; online/offline consistent"
                          : "; online/offline" + " inconsistent")
              .orElse(""));
      return 0;
    }
  }
}
