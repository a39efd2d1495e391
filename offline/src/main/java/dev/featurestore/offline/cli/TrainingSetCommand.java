/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import dev.featurestore.offline.TrainingSetOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code training-set}: the options shared by {@link OfflineCli} and the spark-submit job. */
@Command(
    name = "training-set",
    mixinStandardHelpOptions = true,
    description = {
      "Builds a point-in-time-correct training set: for every entity row, the feature values that"
          + " were current at its timestamp. Writes Parquet to --output plus"
          + " --output/_manifest.json."
    })
public final class TrainingSetCommand implements Callable<Integer> {
  @Option(names = "--repo", required = true, description = "The feature repo folder.")
  Path repo;

  @Option(
      names = "--entities",
      required = true,
      description = "Entity rows: a Parquet file or folder, or a .csv file with a header line.")
  String entities;

  static final class Features {
    @Option(
        names = "--features",
        split = ",",
        paramLabel = "REF",
        description = "Feature references: view:feature or view:* (comma separated).")
    List<String> references;

    @Option(names = "--feature-service", paramLabel = "NAME", description = "A feature service.")
    String service;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Features features;

  @Option(
      names = "--output",
      required = true,
      description = "Output folder (replaced if it holds an earlier training set).")
  String output;

  @Option(
      names = "--full-feature-names",
      description = "Name feature columns view__feature instead of feature.")
  boolean fullFeatureNames;

  @Option(
      names = "--timestamp-column",
      defaultValue = "event_timestamp",
      description = "The entity timestamp column (default: ${DEFAULT-VALUE}).")
  String timestampColumn;

  @Option(
      names = "--join-key-map",
      split = ",",
      paramLabel = "K=V",
      description =
          "Entity columns named differently from a join key, as COLUMN=JOIN_KEY or"
              + " JOIN_KEY=COLUMN (the side that names a join key of the requested views is the"
              + " join key), e.g. driver_id=driver.")
  Map<String, String> joinKeyMap = new LinkedHashMap<>();

  @Option(
      names = "--broadcast-limit",
      paramLabel = "PAIRS",
      defaultValue = "" + TrainingSetOptions.DEFAULT_BROADCAST_LIMIT,
      description =
          "Up to this many distinct (join keys, timestamp) pairs in the entity rows, broadcast"
              + " them and drop the source rows no entity row can pick before the shuffle;"
              + " 0 never broadcasts (default: ${DEFAULT-VALUE}).")
  long broadcastLimit;

  @Option(
      names = "--index-limit",
      paramLabel = "ROWS",
      defaultValue = "" + TrainingSetOptions.DEFAULT_INDEX_LIMIT,
      description =
          "Views on the same keys whose sources hold at most this many rows are collected into"
              + " an index that is broadcast: the entity rows are joined where they are, with no"
              + " shuffle; 0 never does (default: ${DEFAULT-VALUE}).")
  long indexLimit;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    checkJoinKeyMap();
    TrainingSetRequest request =
        new TrainingSetRequest(
            repo,
            entities,
            features.references == null ? List.of() : features.references,
            Optional.ofNullable(features.service),
            output,
            fullFeatureNames,
            timestampColumn,
            joinKeyMap,
            broadcastLimit,
            indexLimit);
    Manifest manifest = TrainingSetRunner.run(request);
    System.out.printf(
        "Wrote %d rows (%d feature columns) to %s in %.1f s%n",
        manifest.outputRows(), manifest.featureReferences().size(), output, manifest.seconds());
    return 0;
  }

  /** Both sides of every {@code --join-key-map} pair name a column: a usage error otherwise. */
  private void checkJoinKeyMap() {
    joinKeyMap.forEach(
        (left, right) -> {
          if (left.isBlank() || right.isBlank()) {
            throw new ParameterException(
                spec.commandLine(),
                String.format(
                    "Invalid value for option '--join-key-map': '%s=%s' names no %s; write"
                        + " COLUMN=JOIN_KEY, e.g. driver=driver_id",
                    left,
                    right,
                    left.isBlank() ? "entity column or join key before '='" : "name after '='"));
          }
        });
  }
}
