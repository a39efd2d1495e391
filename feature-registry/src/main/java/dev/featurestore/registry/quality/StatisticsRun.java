/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One computation of a feature view's statistics, as the registry keeps it in the view's history
 * ({@link dev.featurestore.registry.store.StatisticsHistory}): what was computed, when, by which
 * command, against which registry version, and what the view's checks said.
 *
 * @param runId the run's id, unique within the view: letters, digits, {@code .}, {@code _} and
 *     {@code -} (it is part of a file name in the file registries); {@link #newRunId()} makes one
 * @param view the feature view's name; equal to {@code statistics.view()}
 * @param registryVersion the registry version the definitions came from (0: none applied)
 * @param computedAt when the statistics were computed
 * @param origin the command that computed them: {@link #MATERIALIZE} or {@link #STATS}
 * @param statistics the statistics, with their window ({@code start}, {@code end})
 * @param checks the results of the view's checks on these statistics; empty when it has none
 */
public record StatisticsRun(
    String runId,
    String view,
    long registryVersion,
    Instant computedAt,
    String origin,
    ViewStatistics statistics,
    List<CheckResult> checks) {
  /** The origin of a run a materialization computed from the rows it wrote. */
  public static final String MATERIALIZE = "materialize";

  /** The origin of a run {@code featurestore stats} computed from the source rows. */
  public static final String STATS = "stats";

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  public StatisticsRun {
    requireNonNull(runId, "runId is null");
    requireNonNull(view, "view is null");
    requireNonNull(computedAt, "computedAt is null");
    requireNonNull(origin, "origin is null");
    requireNonNull(statistics, "statistics is null");
    checks = List.copyOf(requireNonNull(checks, "checks is null"));
    if (!RUN_ID.matcher(runId).matches() || runId.startsWith(".")) {
      throw new IllegalArgumentException(
          "Invalid statistics run id: '"
              + runId
              + "' (use 1 to 100 letters, digits, '.', '_' or '-', not starting with '.')");
    }
    if (!statistics.view().equals(view)) {
      throw new IllegalArgumentException(
          "Invalid statistics run "
              + runId
              + ": it is of view '"
              + view
              + "' but its statistics are of view '"
              + statistics.view()
              + "'");
    }
    if (registryVersion < 0) {
      throw new IllegalArgumentException(
          "Invalid statistics run " + runId + ": registry version " + registryVersion + " < 0");
    }
    if (origin.isBlank()) {
      throw new IllegalArgumentException("Invalid statistics run " + runId + ": blank origin");
    }
  }

  /** Returns a new random run id (a UUID). */
  public static String newRunId() {
    return UUID.randomUUID().toString();
  }

  /** Returns the number of checks that passed. */
  public long checksPassed() {
    return checks.stream().filter(CheckResult::passed).count();
  }

  /** Returns the number of checks that failed. */
  public long checksFailed() {
    return checks.size() - checksPassed();
  }
}
