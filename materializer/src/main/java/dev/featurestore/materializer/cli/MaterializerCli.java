/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.featurestore.commandrunner.CommandRunner;
import dev.featurestore.commandrunner.InstantConverter;
import dev.featurestore.materializer.Materializer;
import dev.featurestore.materializer.MaterializerOptions;
import dev.featurestore.materializer.ViewSummary;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.StatisticsHistory;
import dev.featurestore.spark.SparkSessions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code featurestore materialize} and {@code featurestore materialize-incremental}. Exit codes and
 * error reports follow {@link CommandRunner}: 0 success, 1 an error (one paragraph on stderr; the
 * stack trace only with {@code --verbose}), 2 bad usage.
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    subcommands = {
      MaterializerCli.Materialize.class,
      MaterializerCli.MaterializeIncremental.class,
      CommandLine.HelpCommand.class
    },
    description = "Materializes the latest feature values from Parquet into Redis.")
public final class MaterializerCli {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Where the Redis of a repo comes from: spark-submit's {@link MaterializeJob} takes only the one
   * featurestore.yaml names; the command line ({@code bin/featurestore materialize}) may start the
   * repo's embedded Redis instead.
   */
  public interface RedisSource {
    /** Returns the Redis to write the repo's features to. */
    RedisConfig redisOf(FeatureRepo repo);
  }

  /** The Redis featurestore.yaml names, else an error saying how to configure one. */
  public static final RedisSource CONFIGURED_REDIS =
      repo ->
          repo.config()
              .redis()
              .orElseThrow(
                  () ->
                      FeatureStoreException.of(
                          ErrorCode.INVALID_ARGUMENT,
                          "Cannot materialize: featurestore.yaml of project '%s' names no"
                              + " online.redis; add 'online: {redis: redis://HOST:6379}' to it,"
                              + " or run 'featurestore materialize' on this machine, which"
                              + " starts the repo's embedded Redis",
                          repo.config().project()));

  private final PrintStream out;
  private final PrintStream err;
  private final RedisSource redisSource;

  private MaterializerCli(PrintStream out, PrintStream err, RedisSource redisSource) {
    this.out = out;
    this.err = err;
    this.redisSource = redisSource;
  }

  /** Runs a command line with {@link #CONFIGURED_REDIS} and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, CONFIGURED_REDIS);
  }

  /**
   * Runs a command line and returns its exit code ({@link CommandRunner}'s policy).
   *
   * @param redisSource where the Redis of the repo comes from
   */
  public static int run(String[] args, PrintStream out, PrintStream err, RedisSource redisSource) {
    return CommandRunner.run(
        new MaterializerCli(out, err, redisSource),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        args);
  }

  /** Options shared by both commands. */
  static final class CommonOptions {
    @Option(
        names = "--repo",
        defaultValue = ".",
        description = "The feature repo folder (default: the current folder).")
    Path repo;

    @Option(
        names = "--views",
        split = ",",
        paramLabel = "VIEW",
        description = "Views to materialize (default: every online view).")
    List<String> views = new ArrayList<>();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(
        names = "--expiry-grace",
        paramLabel = "DURATION",
        description =
            "How long after a value stops being served Redis removes it (e.g. 2h, PT30M;"
                + " default: the view's TTL). Overrides --conf "
                + MaterializerOptions.EXPIRY_GRACE
                + ".")
    String expiryGrace;

    @Option(
        names = "--conf",
        paramLabel = "KEY=VALUE",
        description = "A materializer.* setting, e.g. materializer.redis.script-batch-size=16.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(
        names = "--allow-failed-checks",
        description =
            "Write views whose checks fail anyway, and report the failures (default: such a view"
                + " writes nothing, its watermark stays, and the command exits 1).")
    boolean allowFailedChecks;

    @Option(
        names = "--no-statistics",
        description =
            "Do not compute the statistics of views without checks (views with checks always get"
                + " them).")
    boolean noStatistics;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;
  }

  @Command(
      name = "materialize",
      mixinStandardHelpOptions = true,
      description = "Writes the latest values with an event timestamp in [start, end] to Redis.")
  static final class Materialize implements Callable<Integer> {
    @ParentCommand MaterializerCli cli;

    @Mixin CommonOptions common;

    @Option(
        names = "--start",
        required = true,
        converter = InstantConverter.class,
        paramLabel = "T",
        description = "Window start (inclusive): an ISO-8601 instant or 'now'.")
    Instant start;

    @Option(
        names = "--end",
        required = true,
        converter = InstantConverter.class,
        paramLabel = "T",
        description = "Window end (inclusive): an ISO-8601 instant or 'now'.")
    Instant end;

    @Override
    public Integer call() {
      return cli.execute(common, m -> m.materializer().materialize(common.views, start, end));
    }
  }

  @Command(
      name = "materialize-incremental",
      mixinStandardHelpOptions = true,
      description =
          "Writes each view from its watermark (first time: end - ttl, or all data without a"
              + " TTL) to end, then moves the watermark to end.")
  static final class MaterializeIncremental implements Callable<Integer> {
    @ParentCommand MaterializerCli cli;

    @Mixin CommonOptions common;

    @Option(
        names = "--end",
        required = true,
        converter = InstantConverter.class,
        paramLabel = "T",
        description = "Window end (inclusive): an ISO-8601 instant or 'now'.")
    Instant end;

    @Override
    public Integer call() {
      return cli.execute(
          common,
          m ->
              m.materializer()
                  .materializeIncremental(common.views, end, m.repo().registry().watermarks()));
    }
  }

  private record Context(FeatureRepo repo, Materializer materializer) {}

  private interface Run {
    List<ViewSummary> apply(Context context);
  }

  private int execute(CommonOptions common, Run run) {
    checkSettingKeys(common.settings);
    Map<String, String> settings = new HashMap<>(common.settings);
    if (common.expiryGrace != null) {
      settings.put(MaterializerOptions.EXPIRY_GRACE, common.expiryGrace);
    }
    if (common.allowFailedChecks) {
      settings.put(MaterializerOptions.ALLOW_FAILED_CHECKS, "true");
    }
    if (common.noStatistics) {
      settings.put(MaterializerOptions.STATISTICS, "false");
    }
    MaterializerOptions options = MaterializerOptions.fromMap(settings);
    FeatureRepo repo = FeatureRepo.open(common.repo);
    RegistryVersion version = repo.latestApplied("materialize");
    Definitions definitions = version.definitions();
    RedisConfig redis = redisSource.redisOf(repo);
    SparkSession spark =
        SparkSessions.open("featurestore materialize", repo.config().sparkMaster());
    Materializer materializer =
        new Materializer(spark, definitions, redis, p -> repo.resolve(p).toString(), options, err);
    List<ViewSummary> summaries = run.apply(new Context(repo, materializer));
    record(repo.registry().statistics(), version.number(), summaries);
    if (common.json) {
      out.println(json(definitions.project(), redis, summaries));
    } else {
      out.print(table(summaries));
    }
    out.flush();
    List<ViewSummary> heldBack = summaries.stream().filter(ViewSummary::heldBack).toList();
    if (!heldBack.isEmpty()) {
      throw FeatureStoreException.of(ErrorCode.INVALID_DATA, "%s", heldBackMessage(heldBack));
    }
    return 0;
  }

  /**
   * One paragraph naming each view held back by its checks, e.g. {@code Cannot materialize feature
   * view 'driver_hourly_stats': check failed: conv_rate: 7.3% nulls, max_null_fraction 5%.}
   */
  static String heldBackMessage(List<ViewSummary> heldBack) {
    StringBuilder message = new StringBuilder();
    for (ViewSummary summary : heldBack) {
      List<CheckResult> failed = summary.failedChecks();
      message
          .append("Cannot materialize feature view '")
          .append(summary.view())
          .append("': ")
          .append(failed.size() == 1 ? "check failed: " : "checks failed: ")
          .append(failed.stream().map(CheckResult::message).collect(Collectors.joining("; ")))
          .append(". ");
    }
    return message
        .append(heldBack.size() == 1 ? "It wrote" : "They wrote")
        .append(
            " nothing and the watermark did not move; fix the data, or change the checks and"
                + " apply, or write anyway with --allow-failed-checks.")
        .toString();
  }

  /**
   * Appends the statistics of each view written to its history (origin {@code materialize}); a view
   * held back by its checks wrote nothing and records nothing. The values are in Redis already, so
   * a history that cannot be written is reported on stderr, and does not fail the command.
   */
  private void record(StatisticsHistory history, long version, List<ViewSummary> summaries) {
    for (ViewSummary summary : summaries) {
      if (summary.heldBack() || summary.statistics().isEmpty()) {
        continue;
      }
      try {
        history.append(
            new StatisticsRun(
                StatisticsRun.newRunId(),
                summary.view(),
                version,
                Instant.now(),
                StatisticsRun.MATERIALIZE,
                summary.statistics().get(),
                summary.checks()));
      } catch (FeatureStoreException e) {
        err.println(
            "Warning: the statistics of feature view '"
                + summary.view()
                + "' were not recorded in its history: "
                + e.getMessage());
      }
    }
  }

  /** Every {@code --conf} key must be a materializer setting; checked before Spark starts. */
  static void checkSettingKeys(Map<String, String> settings) {
    List<String> keys = MaterializerOptions.keys();
    for (String key : settings.keySet()) {
      if (!keys.contains(key)) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot use --conf %s: unknown key%s; the keys are %s",
            key,
            Names.didYouMean(key, keys),
            String.join(", ", keys));
      }
    }
  }

  static String json(String project, RedisConfig redis, List<ViewSummary> summaries) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("project", project);
    root.put("redis", redis.redactedUris());
    root.put("views", summaries.stream().map(ViewSummary::toMap).toList());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw FeatureStoreException.of(ErrorCode.INTERNAL_ERROR, e, "Cannot write JSON: %s", e);
    }
  }

  static String table(List<ViewSummary> summaries) {
    StringBuilder text = new StringBuilder();
    String format = "%-28s %12s %12s %10s %10s %10s %9s %10s%n";
    text.append(
        String.format(
            Locale.ROOT,
            format,
            "VIEW",
            "ROWS READ",
            "KEYS WRITTEN",
            "NOT NEWER",
            "NULL KEY",
            "EXPIRED",
            "SECONDS",
            "KEYS/S"));
    for (ViewSummary s : summaries) {
      text.append(
          String.format(
              Locale.ROOT,
              format,
              s.view(),
              String.format(Locale.ROOT, "%,d", s.rowsRead()),
              String.format(Locale.ROOT, "%,d", s.keysWritten()),
              String.format(Locale.ROOT, "%,d", s.keysNotNewer()),
              String.format(Locale.ROOT, "%,d", s.nullKeyRows()),
              String.format(Locale.ROOT, "%,d", s.expiredSkipped()),
              String.format(Locale.ROOT, "%.1f", s.elapsed().toMillis() / 1000.0),
              String.format(Locale.ROOT, "%,.0f", s.keysPerSecond())));
    }
    for (ViewSummary s : summaries) {
      text.append(
          String.format(
              Locale.ROOT,
              "%s: window %s .. %s%n",
              s.view(),
              s.start().map(Instant::toString).orElse("(earliest)"),
              s.end()));
    }
    for (ViewSummary s : summaries) {
      text.append(s.view()).append(": ").append(s.checkLine()).append('\n');
    }
    return text.toString();
  }
}
