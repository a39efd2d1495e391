/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static java.util.Objects.requireNonNull;

import dev.featurestore.onlinestore.writer.NewerWinsScript;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tuning of a materialization, parsed once from {@code materializer.*} settings ({@code --conf
 * key=value} on the command line; later settings win over earlier ones, and a CLI flag such as
 * {@code --expiry-grace} wins over {@code --conf}).
 *
 * @param scriptBatchSize keys per newer-wins script call (at most {@link
 *     NewerWinsScript#MAX_KEYS_PER_CALL})
 * @param flushEvery script calls queued before the pipeline is flushed
 * @param maxInFlight unanswered script calls a writer allows before it waits
 * @param rowsPerPartition source rows per write task (more tasks: finer progress, less memory)
 * @param expiryGrace how long after a value stops being served Redis removes it; empty: the view's
 *     TTL ({@code OnlineExpiry.defaultGrace})
 * @param progressInterval how often progress is printed; zero: never
 * @param dedupe how the latest row per key is found
 * @param statistics whether the statistics of what is written are computed for every view (views
 *     with checks always get them: their checks need them)
 * @param allowFailedChecks whether a view whose checks fail is written anyway (the failures are
 *     still reported)
 */
public record MaterializerOptions(
    int scriptBatchSize,
    int flushEvery,
    int maxInFlight,
    long rowsPerPartition,
    Optional<Duration> expiryGrace,
    Duration progressInterval,
    Dedupe dedupe,
    boolean statistics,
    boolean allowFailedChecks) {
  /**
   * How the latest row per entity key is found. The default is {@link #SHUFFLE}: on the 2-core
   * benchmark machine {@link #AUTO} saved 0-7% on one-row-per-key data and costs an extra pass
   * (about 1 s per million rows there) on data with history (benchmarks/results/materializer.md).
   */
  public enum Dedupe {
    /**
     * Check first (with the row count the materializer takes anyway, shuffling only a 64-bit hash
     * per key) whether any key has two rows: if none has, write the rows as read, without shuffling
     * or sorting them; else as {@link #SHUFFLE}. Both write the same values.
     */
    AUTO,
    /**
     * Always repartition the rows by key and sort them, keeping the latest row per key (skips the
     * repeat check; the default).
     */
    SHUFFLE
  }

  /** How the latest row per key is found: {@code auto} or {@code shuffle}. */
  public static final String DEDUPE = "materializer.dedupe";

  /** Keys per newer-wins script call (EVALSHA). */
  public static final String SCRIPT_BATCH_SIZE = "materializer.redis.script-batch-size";

  public static final int DEFAULT_SCRIPT_BATCH_SIZE = 256;

  /** Script calls queued before the pipeline is flushed. */
  public static final String FLUSH_EVERY = "materializer.redis.flush-every";

  public static final int DEFAULT_FLUSH_EVERY = 8;

  /** Unanswered script calls per writer before it waits for the oldest. */
  public static final String MAX_IN_FLIGHT = "materializer.redis.max-in-flight";

  public static final int DEFAULT_MAX_IN_FLIGHT = 64;

  /** Source rows per write task. */
  public static final String ROWS_PER_PARTITION = "materializer.rows-per-partition";

  public static final long DEFAULT_ROWS_PER_PARTITION = 250_000;

  /**
   * Grace between the end of serving and removal (e.g. {@code 2h}, {@code PT30M}; any duration of
   * {@link Durations}).
   */
  public static final String EXPIRY_GRACE = "materializer.expiry-grace";

  /** How often progress is printed (e.g. {@code 5s}; {@code 0} turns it off). */
  public static final String PROGRESS_INTERVAL = "materializer.progress-interval";

  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);

  /** Whether every view's statistics are computed: {@code true} (the default) or {@code false}. */
  public static final String STATISTICS = "materializer.statistics";

  /** Whether views whose checks fail are written anyway: {@code false} (the default) or true. */
  public static final String ALLOW_FAILED_CHECKS = "materializer.allow-failed-checks";

  private static final List<String> KEYS =
      List.of(
          SCRIPT_BATCH_SIZE,
          FLUSH_EVERY,
          MAX_IN_FLIGHT,
          ROWS_PER_PARTITION,
          EXPIRY_GRACE,
          PROGRESS_INTERVAL,
          DEDUPE,
          STATISTICS,
          ALLOW_FAILED_CHECKS);

  public MaterializerOptions {
    positive(SCRIPT_BATCH_SIZE, scriptBatchSize);
    if (scriptBatchSize > NewerWinsScript.MAX_KEYS_PER_CALL) {
      throw invalid(
          SCRIPT_BATCH_SIZE,
          String.valueOf(scriptBatchSize),
          "must be at most " + NewerWinsScript.MAX_KEYS_PER_CALL);
    }
    positive(FLUSH_EVERY, flushEvery);
    positive(MAX_IN_FLIGHT, maxInFlight);
    positive(ROWS_PER_PARTITION, rowsPerPartition);
    requireNonNull(expiryGrace, "expiryGrace is null");
    requireNonNull(progressInterval, "progressInterval is null");
    requireNonNull(dedupe, "dedupe is null");
    if (expiryGrace.filter(Duration::isNegative).isPresent()) {
      throw invalid(EXPIRY_GRACE, expiryGrace.get().toString(), "must not be negative");
    }
  }

  /** Options with statistics on and failed checks stopping their view (the defaults). */
  public MaterializerOptions(
      int scriptBatchSize,
      int flushEvery,
      int maxInFlight,
      long rowsPerPartition,
      Optional<Duration> expiryGrace,
      Duration progressInterval,
      Dedupe dedupe) {
    this(
        scriptBatchSize,
        flushEvery,
        maxInFlight,
        rowsPerPartition,
        expiryGrace,
        progressInterval,
        dedupe,
        true,
        false);
  }

  /** The defaults. */
  public static MaterializerOptions defaults() {
    return fromMap(Map.of());
  }

  /** Every {@code materializer.*} key this class reads, in documentation order. */
  public static List<String> keys() {
    return KEYS;
  }

  /**
   * Parses {@code materializer.*} settings; other keys are ignored.
   *
   * @throws FeatureStoreException INVALID_ARGUMENT naming the key for an unknown {@code
   *     materializer.*} key or a bad value
   */
  public static MaterializerOptions fromMap(Map<String, String> settings) {
    for (String key : settings.keySet()) {
      if (key.startsWith("materializer.") && !KEYS.contains(key)) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Invalid setting '%s': unknown key%s",
            key,
            Names.didYouMean(key, KEYS));
      }
    }
    return new MaterializerOptions(
        (int) number(settings, SCRIPT_BATCH_SIZE, DEFAULT_SCRIPT_BATCH_SIZE),
        (int) number(settings, FLUSH_EVERY, DEFAULT_FLUSH_EVERY),
        (int) number(settings, MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT),
        number(settings, ROWS_PER_PARTITION, DEFAULT_ROWS_PER_PARTITION),
        Optional.ofNullable(settings.get(EXPIRY_GRACE)).map(v -> Durations.parse(v, EXPIRY_GRACE)),
        Optional.ofNullable(settings.get(PROGRESS_INTERVAL))
            .map(v -> Durations.parse(v, PROGRESS_INTERVAL))
            .orElse(DEFAULT_PROGRESS_INTERVAL),
        dedupe(settings.getOrDefault(DEDUPE, "shuffle")),
        bool(settings, STATISTICS, true),
        bool(settings, ALLOW_FAILED_CHECKS, false));
  }

  private static boolean bool(Map<String, String> settings, String key, boolean defaultValue) {
    String value = settings.get(key);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, value, "expected true or false");
    };
  }

  private static Dedupe dedupe(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> Dedupe.AUTO;
      case "shuffle" -> Dedupe.SHUFFLE;
      default -> throw invalid(DEDUPE, value, "expected auto or shuffle");
    };
  }

  /** Returns a copy with another expiry grace. */
  public MaterializerOptions withExpiryGrace(Duration grace) {
    return new MaterializerOptions(
        scriptBatchSize,
        flushEvery,
        maxInFlight,
        rowsPerPartition,
        Optional.of(grace),
        progressInterval,
        dedupe,
        statistics,
        allowFailedChecks);
  }

  private static long number(Map<String, String> settings, String key, long defaultValue) {
    String value = settings.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "expected a whole number");
    }
  }

  private static void positive(String key, long value) {
    if (value <= 0 || value > Integer.MAX_VALUE && !key.equals(ROWS_PER_PARTITION)) {
      throw invalid(key, String.valueOf(value), "must be a positive number");
    }
  }

  private static FeatureStoreException invalid(String key, String value, String reason) {
    return FeatureStoreException.of(
        ErrorCode.INVALID_ARGUMENT, "Invalid value '%s' for %s: %s", value, key, reason);
  }
}
