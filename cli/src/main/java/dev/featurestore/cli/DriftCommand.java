/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.commandrunner.CommandRunner;
import dev.featurestore.commandrunner.InstantConverter;
import dev.featurestore.offline.cli.Manifest;
import dev.featurestore.offline.cli.TrainingSetRunner;
import dev.featurestore.online.store.OnlineSample;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureReference;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.spark.SparkSessions;
import dev.featurestore.statistics.drift.Drift;
import dev.featurestore.statistics.drift.DriftOptions;
import dev.featurestore.statistics.drift.DriftReport;
import dev.featurestore.statistics.drift.TrainingSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drift}: compares every feature column of a training set with the same feature's current
 * values and exits {@value #DRIFT} when a feature drifted (its PSI above the threshold), 0 when
 * none did, 1 on an error.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = {
      "Compares each feature column of a training set (a folder written by training-set, with its"
          + " _manifest.json) with the same feature's current values: PSI over the training set's"
          + " deciles (numbers) or values (strings, bools), and the two-sample KS statistic of"
          + " numbers. Exit codes: 0 no drift, 3 drift found, 1 error, 2 bad usage."
    })
final class DriftCommand implements Callable<Integer> {
  /** The exit code of a run that found drift. */
  static final int DRIFT = 3;

  /** The default range: the 7 days up to --end. */
  static final Duration DEFAULT_RANGE = Duration.ofDays(7);

  @Option(names = "--repo", required = true, description = "The feature repo folder.")
  Path repo;

  @Option(
      names = "--training-set",
      required = true,
      paramLabel = "DIR",
      description = "The training set: the --output folder of training-set.")
  String trainingSet;

  @Option(
      names = "--start",
      converter = InstantConverter.class,
      description = "Range start (inclusive): an ISO-8601 instant or 'now' (default: --end - 7d).")
  Instant start;

  @Option(
      names = "--end",
      converter = InstantConverter.class,
      description = "Range end (inclusive): an ISO-8601 instant or 'now' (default: now).")
  Instant end;

  @Option(
      names = "--threshold",
      defaultValue = "" + DriftOptions.DEFAULT_THRESHOLD,
      description = "A feature drifts when its PSI is above this (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(
      names = "--against",
      defaultValue = "offline",
      description =
          "offline: the views' source rows in the range; online: the values served for --sample"
              + " entities (default: ${DEFAULT-VALUE}).")
  Against against;

  @Option(
      names = "--sample",
      defaultValue = "1000",
      description =
          "With --against online: the number of entities to look up (default: ${DEFAULT-VALUE}).")
  int sample;

  @Option(names = CommandRunner.VERBOSE, description = "Print stack traces of errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  /** Where the current values come from. */
  enum Against {
    offline,
    online
  }

  /** The command line of {@code featurestore drift}. */
  @Command(name = "featurestore", mixinStandardHelpOptions = true, subcommands = DriftCommand.class)
  static final class Cli {}

  /** Runs {@code drift ...} in-process and returns the exit code. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    return CommandRunner.run(new Cli(), out, err, args);
  }

  @Override
  public Integer call() {
    DriftOptions options = DriftOptions.DEFAULT.withThreshold(threshold);
    if (sample < 1) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Invalid --sample %d: give a number of entities above 0",
          sample);
    }
    Instant rangeEnd = end == null ? Instant.now() : end;
    Instant rangeStart = start == null ? rangeEnd.minus(DEFAULT_RANGE) : start;
    FeatureRepo featureRepo = FeatureRepo.open(repo);
    RegistryVersion version = featureRepo.latestApplied("compute drift");
    Manifest manifest = TrainingSetRunner.readManifest("compute drift", trainingSet);
    TrainingSet training =
        withoutAggregations(
            TrainingSet.ofManifest(
                TrainingSetRunner.trainingSetLocation(trainingSet),
                manifest.featureReferences(),
                manifest.columns()),
            version.definitions());
    SparkSession spark;
    DriftReport report;
    if (against == Against.online) {
      if (start != null || end != null) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot compute drift against online: --start and --end are the range of --against"
                + " offline; online values are looked up now (drop them, or use --against"
                + " offline)");
      }
      RedisConfig redis = EmbeddedRedisStep.redisOf(featureRepo);
      Instant lookupTime = Instant.now().truncatedTo(ChronoUnit.MICROS);
      try (OnlineDriftValues served =
          new OnlineDriftValues(
              featureRepo, redis, sample, OnlineSample.DEFAULT_SEED, lookupTime)) {
        spark = SparkSessions.open("featurestore drift", featureRepo.config().sparkMaster());
        report =
            Drift.againstServed(spark, served.definitions(), training, served, lookupTime, options);
      }
    } else {
      Drift.checkRange(rangeStart, rangeEnd); // before Spark starts
      spark = SparkSessions.open("featurestore drift", featureRepo.config().sparkMaster());
      report =
          Drift.againstSources(
              spark,
              version.definitions(),
              featureRepo::resolve,
              training,
              rangeStart,
              rangeEnd,
              options);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(QualityJson.write(report));
    } else {
      DriftTable.print(report, manifest.registryVersion(), version.number(), out);
    }
    out.flush();
    return report.drifted() ? DRIFT : CommandRunner.SUCCESS;
  }

  /**
   * The training set without the features of aggregated views: their current values are computed at
   * lookup time from raw events, so there is no source column to compare with. Says so on stderr
   * when it leaves any out.
   */
  private TrainingSet withoutAggregations(TrainingSet training, Definitions definitions) {
    List<String> references = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (int i = 0; i < training.featureReferences().size(); i++) {
      String reference = training.featureReferences().get(i);
      boolean aggregated =
          definitions
              .featureView(FeatureReference.parse(reference).view())
              .map(FeatureView::isAggregated)
              .orElse(false);
      if (aggregated) {
        left.add(reference);
      } else {
        references.add(reference);
        columns.add(training.featureColumns().get(i));
      }
    }
    if (!left.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "drift: leaving out "
                  + left.size()
                  + " feature(s) of aggregated views (computed from raw events at lookup time): "
                  + String.join(", ", left));
    }
    return new TrainingSet(training.location(), references, columns);
  }
}
