/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.quality.StatisticsRun;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How every {@link StatisticsHistory} backend stores a run: one JSON document ({@link QualityJson}
 * of the {@link StatisticsRun}), and in the file layouts (local folder, Hadoop) one file per run,
 *
 * <pre>
 * &lt;registry&gt;/statistics/&lt;view&gt;/&lt;computed at&gt;-&lt;run id&gt;.json
 * e.g.  statistics/driver_hourly_stats/20261202T055028.123000000Z-5b0e….json
 * </pre>
 *
 * where the time is UTC in a fixed-width basic ISO-8601 form (no colons: Hadoop paths refuse them)
 * so that names sort in time order. A file is written under a temporary name starting with {@code
 * .} and ending with {@code .tmp}, which readers ignore, and then linked or renamed into place.
 */
public final class StatisticsDocuments {
  /** The folder of the statistics history under a registry folder. */
  public static final String FOLDER = "statistics";

  /** The order of runs in every backend: computed at, then run id. */
  public static final Comparator<StatisticsRun> ORDER =
      Comparator.comparing(StatisticsRun::computedAt).thenComparing(StatisticsRun::runId);

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern VIEW = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern FILE_NAME =
      Pattern.compile("(\\d{8}T\\d{6}\\.\\d{9}Z)-([A-Za-z0-9_-][A-Za-z0-9._-]*)\\.json");

  private StatisticsDocuments() {}

  /** Returns the document of a run. */
  public static String encode(StatisticsRun run) {
    requireNonNull(run, "run is null");
    return QualityJson.write(run);
  }

  /**
   * Reads a run's document.
   *
   * @param where the file or row it was read from, for the error
   * @param view the view it is stored under; the document must be of that view
   * @throws FeatureStoreException INTERNAL_ERROR naming {@code where} when the document is not a
   *     run of {@code view}
   */
  public static StatisticsRun decode(String text, String where, String view) {
    StatisticsRun run;
    try {
      run = QualityJson.read(text, StatisticsRun.class);
    } catch (RuntimeException e) {
      throw unreadable(where, e, e.getMessage());
    }
    if (run == null) {
      throw unreadable(where, null, "it is empty");
    }
    if (!run.view().equals(view)) {
      throw unreadable(
          where, null, "it is a run of view '" + run.view() + "', stored under '" + view + "'");
    }
    return run;
  }

  private static FeatureStoreException unreadable(String where, Throwable cause, String reason) {
    return FeatureStoreException.of(
        ErrorCode.INTERNAL_ERROR,
        cause,
        "Cannot read the statistics run %s: %s (move the file or row away to keep the rest of"
            + " the history readable)",
        where,
        reason);
  }

  /**
   * Returns a view name fit to be a folder name: feature view names are identifiers, so anything
   * else (a path, {@code ..}) is refused.
   *
   * @throws FeatureStoreException INVALID_ARGUMENT for any other name
   */
  public static String folderOf(String view) {
    requireNonNull(view, "view is null");
    if (!VIEW.matcher(view).matches()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot read the statistics history of feature view '%s': not a feature view name"
              + " (lowercase letters, digits and '_', starting with a letter or '_')",
          view);
    }
    return view;
  }

  /** Returns the name of a run's file in its view's folder. */
  public static String fileName(StatisticsRun run) {
    return FILE_TIME.format(run.computedAt()) + "-" + run.runId() + ".json";
  }

  /**
   * Returns the run id a file name of {@link #fileName} holds; empty for any other file (a
   * temporary file, a stray file).
   */
  public static Optional<String> runIdOf(String fileName) {
    Matcher matcher = FILE_NAME.matcher(fileName);
    return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
  }

  /** Formats an instant as the file names do (for tests and tools). */
  static String fileTime(Instant instant) {
    return FILE_TIME.format(instant);
  }
}
