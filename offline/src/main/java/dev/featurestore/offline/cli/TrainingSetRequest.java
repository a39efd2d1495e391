/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The arguments of {@code training-set}. */
public record TrainingSetRequest(
    Path repo,
    String entities,
    List<String> featureReferences,
    Optional<String> featureService,
    String output,
    boolean fullFeatureNames,
    String timestampColumn,
    Map<String, String> joinKeyMap,
    long broadcastLimit,
    long indexLimit) {
  public TrainingSetRequest {
    requireNonNull(repo, "repo is null");
    requireNonNull(entities, "entities is null");
    featureReferences = List.copyOf(featureReferences);
    requireNonNull(featureService, "featureService is null");
    requireNonNull(output, "output is null");
    requireNonNull(timestampColumn, "timestampColumn is null");
    joinKeyMap = Map.copyOf(joinKeyMap);
    if (broadcastLimit < 0) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "--broadcast-limit must be 0 (never broadcast) or a number of pairs, got %d",
          broadcastLimit);
    }
    if (indexLimit < 0) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "--index-limit must be 0 (never index) or a number of source rows, got %d",
          indexLimit);
    }
  }
}
