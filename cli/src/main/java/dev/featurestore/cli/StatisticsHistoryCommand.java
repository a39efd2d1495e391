/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.quality.Checks;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.QualityJson;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.StatisticsHistory;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code featurestore stats --history VIEW [--json]}: the statistics runs the registry keeps for a
 * view, oldest first, one line each (computed at, origin, window, rows, registry version, checks)
 * and a line of key numbers per feature; {@code --json} prints every run as stored. The {@code
 * stats} command delegates its {@code --history} option here.
 */
public final class StatisticsHistoryCommand {
  private StatisticsHistoryCommand() {}

  /**
   * Prints a view's statistics history.
   *
   * @return the exit code: 0
   * @throws FeatureStoreException NOT_FOUND when the view is neither in the latest applied version
   *     nor in the history (naming the closest view)
   */
  public static int print(PrintWriter out, FeatureRepo repo, String view, boolean json) {
    List<StatisticsRun> runs = repo.registry().statistics().runs(view);
    if (runs.isEmpty()) {
      List<String> views = new ArrayList<>();
      repo.registry()
          .latest()
          .map(RegistryVersion::definitions)
          .ifPresent(d -> d.featureViews().stream().map(FeatureView::name).forEach(views::add));
      repo.registry().statistics().views().stream()
          .filter(v -> !views.contains(v))
          .forEach(views::add);
      if (!views.contains(view)) {
        throw FeatureStoreException.of(
            ErrorCode.NOT_FOUND,
            "Cannot show the statistics history of feature view '%s': no such view in the"
                + " registry of %s%s",
            view,
            repo.root(),
            Names.didYouMean(view, views));
      }
    }
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("view", view);
      root.put("runs", runs);
      out.println(QualityJson.write(root));
    } else {
      out.print(table(view, runs));
    }
    out.flush();
    return 0;
  }

  /**
   * Runs {@code stats --history VIEW}: a usage error (exit 2) with {@code --views}, {@code --start}
   * or {@code --end}, which compute statistics.
   */
  static int run(
      CommandSpec spec,
      FeatureRepo repo,
      String view,
      boolean json,
      List<String> views,
      Instant start,
      Instant end) {
    if (!views.isEmpty() || start != null || end != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--history lists the stored runs of one view; it takes no --views, --start or --end"
              + " (drop them, or drop --history to compute statistics)");
    }
    return print(spec.commandLine().getOut(), repo, view, json);
  }

  /**
   * The window of a view's latest {@code materialize} run as the default window of {@code stats};
   * empty without one (or without a history, {@code runs} null).
   */
  static Optional<StatsCommand.Window> lastMaterializedWindow(
      StatisticsHistory runs, FeatureView view) {
    if (runs == null) {
      return Optional.empty();
    }
    return runs.latest(view.name(), StatisticsRun.MATERIALIZE)
        .map(
            run ->
                new StatsCommand.Window(
                    run.statistics().start(),
                    run.statistics().end(),
                    "last materialization ("
                        + run.computedAt().truncatedTo(ChronoUnit.SECONDS)
                        + ")"));
  }

  /**
   * Appends a {@code stats} run per view to the registry's history, with the view's check results,
   * against the latest applied version.
   */
  static List<StatisticsRun> record(
      FeatureRepo repo, List<FeatureView> views, List<ViewStatistics> statistics) {
    long version = repo.registry().latest().map(RegistryVersion::number).orElse(0L);
    Instant computedAt = Instant.now();
    List<StatisticsRun> recorded = new ArrayList<>(views.size());
    for (int i = 0; i < views.size(); i++) {
      StatisticsRun run =
          new StatisticsRun(
              StatisticsRun.newRunId(),
              views.get(i).name(),
              version,
              computedAt,
              StatisticsRun.STATS,
              statistics.get(i),
              Checks.evaluate(views.get(i), statistics.get(i)));
      repo.registry().statistics().append(run);
      recorded.add(run);
    }
    return recorded;
  }

  /** The text form: one line per run and one per feature of it. */
  static String table(String view, List<StatisticsRun> runs) {
    StringBuilder text = new StringBuilder();
    if (runs.isEmpty()) {
      return "Feature view '"
          + view
          + "' has no statistics history yet: 'featurestore materialize' and 'featurestore stats'"
          + " add a run each time they compute its statistics.\n";
    }
    text.append(
        String.format(
            Locale.ROOT,
            "Statistics history of feature view '%s': %d run%s, oldest first%n%n",
            view,
            runs.size(),
            runs.size() == 1 ? "" : "s"));
    String format = "%-24s %-11s %-45s %12s %8s  %s%n";
    text.append(
        String.format(
            Locale.ROOT, format, "COMPUTED AT", "ORIGIN", "WINDOW", "ROWS", "VERSION", "CHECKS"));
    for (StatisticsRun run : runs) {
      ViewStatistics statistics = run.statistics();
      text.append(
          String.format(
              Locale.ROOT,
              format,
              run.computedAt().truncatedTo(ChronoUnit.MILLIS),
              run.origin(),
              statistics.start().map(Object::toString).orElse("(all)") + " .. " + statistics.end(),
              String.format(Locale.ROOT, "%,d", statistics.rows()),
              run.registryVersion(),
              checks(run)));
      for (FeatureStatistics feature : statistics.features()) {
        text.append("    ").append(keyNumbers(feature)).append('\n');
      }
    }
    return text.toString();
  }

  private static String checks(StatisticsRun run) {
    if (run.checks().isEmpty()) {
      return "-";
    }
    String counts = run.checksPassed() + " passed, " + run.checksFailed() + " failed";
    List<String> failed =
        run.checks().stream().filter(c -> !c.passed()).map(c -> c.message()).toList();
    return failed.isEmpty() ? counts : counts + " (" + String.join("; ", failed) + ")";
  }

  /** A feature's few key numbers: null fraction, distinct count, mean and median, top value. */
  static String keyNumbers(FeatureStatistics feature) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-24s nulls %s  distinct ~%,d",
                feature.feature(),
                percent(feature.nullFraction()),
                feature.approxDistinct()));
    feature.numbers().ifPresent(n -> line.append("  mean ").append(number(n.mean())));
    Optional.ofNullable(feature.quantiles().get("p50"))
        .ifPresent(p -> line.append("  p50 ").append(number(p)));
    if (!feature.topValues().isEmpty()) {
      var top = feature.topValues().get(0);
      line.append("  top ").append(top.value()).append(" (").append(top.count()).append(')');
    }
    feature.arrayLengths().ifPresent(n -> line.append("  mean length ").append(number(n.mean())));
    if (feature.disallowed().isPresent()) {
      line.append("  disallowed ").append(feature.disallowed().getAsLong());
    }
    return line.toString();
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.6g", value)
        .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
        .replaceAll("\\.(e|$)", "$1");
  }
}
