/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.commandrunner.CommandRunner;
import dev.featurestore.online.store.OnlineSample;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.spark.SparkSessions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code featurestore verify}: the online/offline consistency check ({@link Verifier}). Exit 0 when
 * consistent, 3 when a view has a mismatch, an online-only or an offline-only entity, 1 on an
 * error, 2 on bad usage.
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    subcommands = {VerifyCommand.Verify.class, CommandLine.HelpCommand.class})
public final class VerifyCommand {
  /** The exit code of an inconsistent result. */
  static final int INCONSISTENT = 3;

  private final PrintStream out;
  private final Function<FeatureRepo, RedisConfig> redisOf;
  private final Clock clock;

  VerifyCommand(PrintStream out, Function<FeatureRepo, RedisConfig> redisOf, Clock clock) {
    this.out = out;
    this.redisOf = redisOf;
    this.clock = clock;
  }

  /** Runs {@code verify ...} with the repo's Redis (its embedded one when none is configured). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, EmbeddedRedisStep::redisOf, Clock.systemUTC(), args);
  }

  static int run(
      PrintStream out,
      PrintStream err,
      Function<FeatureRepo, RedisConfig> redisOf,
      Clock clock,
      String... args) {
    return CommandRunner.run(
        new VerifyCommand(out, redisOf, clock),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        args);
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Checks that the online store serves what the offline sources say: samples entities"
            + " present online per view, looks them up through the online service's lookup code,"
            + " computes their point-in-time values as of the same instant from the sources, and"
            + " compares them. Exit 0: consistent; 3: mismatches, online-only or offline-only"
            + " entities; 1: error."
      })
  static final class Verify implements Callable<Integer> {
    @ParentCommand VerifyCommand command;

    @Mixin RepoOptions repo;

    @Option(
        names = "--views",
        split = ",",
        paramLabel = "VIEW",
        description = "Views to verify (default: every online view).")
    List<String> views = new ArrayList<>();

    @Option(
        names = "--sample",
        paramLabel = "N",
        defaultValue = "1000",
        description = "Entities to sample per view (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(
        names = "--seed",
        paramLabel = "S",
        defaultValue = "" + OnlineSample.DEFAULT_SEED,
        description = "Sampling seed: the same data and seed sample the same entities.")
    long seed;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (sample < 1) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "Invalid value for --sample: " + sample + ", must be >= 1");
      }
      FeatureRepo opened = repo.open();
      RedisConfig redis = command.redisOf.apply(opened);
      VerifyReport report =
          new Verifier(
                  opened,
                  redis,
                  () -> SparkSessions.open("featurestore verify", opened.config().sparkMaster()))
              .verify(views, sample, seed, command.clock.instant());
      command.out.print(json ? QualityJson.write(report) + System.lineSeparator() : text(report));
      command.out.flush();
      return report.consistent() ? CommandRunner.SUCCESS : INCONSISTENT;
    }
  }

  /** The readable summary. */
  static String text(VerifyReport report) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "Verified %d online view%s as of %s (up to %d entities each, seed %d)%n",
            report.views().size(),
            report.views().size() == 1 ? "" : "s",
            report.lookupTime(),
            report.sample(),
            report.seed()));
    int mismatches = 0;
    int onlineOnly = 0;
    int offlineOnly = 0;
    for (VerifyReport.View view : report.views()) {
      text.append(
          String.format(
              "%s: %d entities: %d compared, %d online-only, %d offline-only, %d newer offline,"
                  + " %d absent on both sides%n",
              view.view(),
              view.entities(),
              view.compared(),
              view.onlineOnly(),
              view.offlineOnly(),
              view.newerOffline(),
              view.absent()));
      if (view.entities() == 0) {
        text.append("  (no entity of this view is online: nothing to compare)\n");
      }
      onlineOnly += view.onlineOnly();
      offlineOnly += view.offlineOnly();
      for (VerifyReport.Feature feature : view.features()) {
        mismatches += (int) feature.mismatches();
        text.append(
            String.format(
                "  %-24s %d match%s, %d mismatch%s%n",
                feature.feature(),
                feature.matches(),
                feature.matches() == 1 ? "" : "es",
                feature.mismatches(),
                feature.mismatches() == 1 ? "" : "es"));
        for (VerifyReport.Example example : feature.examples()) {
          text.append(
              String.format(
                  "    %s: online %s (%s), offline %s (%s)%n",
                  entity(example.entity()),
                  example.online(),
                  example.onlineTimestamp(),
                  example.offline(),
                  example.offlineTimestamp()));
        }
      }
    }
    text.append(
        report.consistent()
            ? "Consistent: every compared value matches.\n"
            : String.format(
                "NOT consistent: %d mismatched value%s, %d online-only and %d offline-only"
                    + " entities.%n",
                mismatches, mismatches == 1 ? "" : "s", onlineOnly, offlineOnly));
    return text.toString();
  }

  private static String entity(Map<String, Object> entity) {
    return entity.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
