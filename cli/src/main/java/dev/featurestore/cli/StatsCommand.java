/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.commandrunner.InstantConverter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.quality.Checks;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.StatisticsHistory;
import dev.featurestore.registry.store.Watermarks;
import dev.featurestore.spark.SparkSessions;
import dev.featurestore.statistics.SparkStatistics;
import dev.featurestore.statistics.StatisticsInput;
import dev.featurestore.statistics.ViewStatisticsSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code featurestore stats}: the statistics of every feature of the chosen views over their source
 * rows in a window (docs/data-quality.md, "Statistics"), one Spark pass per view.
 *
 * <p>The window: {@code [--start, --end]} when either is given ({@code --start} absent: from the
 * first row; {@code --end} absent: now). Otherwise, per view, the window of its latest {@code
 * materialize} statistics run in the registry's history; else the last materialized window {@code
 * [watermark - ttl, watermark]} when the view has a watermark ({@code [beginning, watermark]}
 * without a TTL), else every row up to now.
 *
 * <p>The table also shows each view's check results ({@code checks:} in the definitions; the {@code
 * allowed} sets are counted in the same pass) and, for a view with a {@code freshness}, how old its
 * watermark is. Each view's statistics and check results are recorded in the statistics history as
 * a {@link StatisticsRun} (origin {@code stats}); {@code --json} prints those runs ({@link
 * QualityJson} of a list, one per view). The exit code is 0 even when a check fails: {@code stats}
 * reports; {@code materialize} enforces.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description =
        "Compute the statistics of each feature of the views over their source rows in a window:"
            + " rows, nulls, distinct values, min/max/mean/stddev, quantiles, a histogram, top"
            + " values. Default window: [watermark - ttl, watermark] of each view, else all data.")
final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RepoOptions repoOptions;

  @Option(
      names = "--views",
      split = ",",
      paramLabel = "VIEW",
      description = "Views to compute the statistics of (default: every view).")
  List<String> views = new ArrayList<>();

  @Option(
      names = "--start",
      converter = InstantConverter.class,
      paramLabel = "T",
      description = "Window start (inclusive): an ISO-8601 instant or 'now'.")
  Instant start;

  @Option(
      names = "--end",
      converter = InstantConverter.class,
      paramLabel = "T",
      description = "Window end (inclusive): an ISO-8601 instant or 'now' (default: now).")
  Instant end;

  @Option(
      names = "--json",
      description =
          "Print JSON: a list with one recorded run per view (its statistics and check results).")
  boolean json;

  @Option(
      names = "--history",
      paramLabel = "VIEW",
      description =
          "List the statistics runs the registry keeps for VIEW (materialize and stats add one"
              + " each time), oldest first, instead of computing statistics.")
  String history;

  /** The registry's statistics history (set by call; the last materialization's window). */
  StatisticsHistory runs;

  /**
   * A window to compute statistics over.
   *
   * @param basis how it was chosen, for the table: {@code --start/--end}, {@code watermark - ttl},
   *     {@code all data}
   */
  record Window(Optional<Instant> start, Instant end, String basis) {}

  @Override
  public Integer call() {
    if (history != null) {
      return StatisticsHistoryCommand.run(
          spec, repoOptions.open(), history, json, views, start, end);
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (start != null && end != null && start.isAfter(end)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot compute statistics: --start %s is after --end %s",
          start,
          end);
    }
    FeatureRepo repo = repoOptions.open();
    Definitions definitions = repo.latestApplied("compute statistics").definitions();
    List<FeatureView> chosen = chosenViews(definitions, views);
    Watermarks watermarks = repo.registry().watermarks();
    runs = repo.registry().statistics();
    SparkSession spark = SparkSessions.open("featurestore stats", repo.config().sparkMaster());
    List<ViewStatistics> statistics = new ArrayList<>();
    List<Window> windows = new ArrayList<>();
    for (FeatureView view : chosen) {
      Window window = window(view, watermarks, now);
      StatisticsInput input =
          ViewStatisticsSource.read(
              spark,
              definitions,
              view,
              p -> repo.resolve(p).toString(),
              window.start(),
              window.end(),
              Checks.allowedSets(view));
      ViewStatistics computed =
          SparkStatistics.compute(
              input.rows(), input.columns(), view.name(), window.start(), window.end());
      statistics.add(computed);
      windows.add(window);
    }
    // Each view's statistics and check results are recorded as a run; --json prints those runs.
    List<StatisticsRun> recorded = StatisticsHistoryCommand.record(repo, chosen, statistics);
    List<StatsTable.Notes> notes = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      FeatureView view = chosen.get(i);
      notes.add(
          new StatsTable.Notes(
              windows.get(i).basis(),
              recorded.get(i).checks(),
              freshness(view, watermarks.read(view.name()), now)));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? QualityJson.write(recorded) + "\n" : StatsTable.of(statistics, notes));
    out.flush();
    return 0;
  }

  /** The window of one view (see the class comment). */
  Window window(FeatureView view, Watermarks watermarks, Instant now) {
    if (start != null || end != null) {
      return new Window(Optional.ofNullable(start), end == null ? now : end, "--start/--end");
    }
    Optional<Window> materialized = StatisticsHistoryCommand.lastMaterializedWindow(runs, view);
    if (materialized.isPresent()) {
      return materialized.get();
    }
    Optional<Instant> watermark = watermarks.read(view.name());
    if (watermark.isPresent()) {
      return view.maxAge()
          .map(
              ttl ->
                  new Window(
                      Optional.of(watermark.get().minus(ttl)), watermark.get(), "watermark - ttl"))
          .orElseGet(() -> new Window(Optional.empty(), watermark.get(), "up to the watermark"));
    }
    return new Window(Optional.empty(), now, "all data: no watermark");
  }

  /**
   * The view's freshness as a note for the table: {@code STALE: watermark 3h old, freshness 2h}, or
   * empty when the view declares no freshness.
   */
  static Optional<String> freshness(FeatureView view, Optional<Instant> watermark, Instant now) {
    if (view.freshness().isEmpty()) {
      return Optional.empty();
    }
    String limit = Durations.format(view.freshness().get());
    if (watermark.isEmpty()) {
      return Optional.of("STALE: never materialized (freshness " + limit + ")");
    }
    Duration age = Duration.between(watermark.get(), now);
    String ageText = age(age);
    return Optional.of(
        (view.isStaleAt(watermark, now) ? "STALE: " : "fresh: ")
            + "watermark "
            + ageText
            + " old, freshness "
            + limit);
  }

  /** An age as people read it: {@code 45s}, {@code 12m}, {@code 3.2h}, {@code 4.5d}. */
  static String age(Duration age) {
    long seconds = age.getSeconds();
    if (seconds < 120) {
      return seconds + "s";
    } else if (seconds < 7_200) {
      return seconds / 60 + "m";
    } else if (seconds < 172_800) {
      return String.format(Locale.ROOT, "%.1fh", seconds / 3600.0);
    }
    return String.format(Locale.ROOT, "%.1fd", seconds / 86400.0);
  }

  static List<FeatureView> chosenViews(Definitions definitions, List<String> names) {
    if (names.isEmpty()) {
      // Aggregated views are computed from raw events: statistics of their values are not kept.
      return definitions.featureViews().stream().filter(v -> !v.isAggregated()).toList();
    }
    List<String> known = definitions.featureViews().stream().map(FeatureView::name).toList();
    List<FeatureView> chosen = new ArrayList<>();
    for (String name : names) {
      chosen.add(
          definitions
              .featureView(name)
              .orElseThrow(
                  () ->
                      FeatureStoreException.of(
                          ErrorCode.NOT_FOUND,
                          "Cannot compute statistics of feature view '%s': no such view in"
                              + " project '%s'%s",
                          name,
                          definitions.project(),
                          Names.didYouMean(name, known))));
      if (chosen.get(chosen.size() - 1).isAggregated()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot compute statistics of feature view '%s': it is an aggregated view, whose"
                + " values are computed from raw events at lookup time; statistics cover views of"
                + " plain features (leave it out of --views)",
            name);
      }
    }
    return chosen;
  }
}
