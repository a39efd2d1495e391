/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ValueCount;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.report.Charts.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One feature view's section of the report: freshness, latest statistics, checks, history. */
final class ViewSection {
  /** The history charts show at most this many runs, the newest. */
  static final int HISTORY_RUNS = 100;

  private final Html html;
  private final ViewReport report;
  private final Instant now;

  ViewSection(Html html, ViewReport report, Instant now) {
    this.html = html;
    this.report = report;
    this.now = now;
  }

  void write() {
    FeatureView view = report.view();
    html.open("section", "class", "view", "id", "view-" + view.name());
    html.open("h2").text(view.name()).text(" ");
    Freshness freshness = report.freshness(now);
    badge(freshness.status().label, freshness.stale() ? "bad" : "neutral");
    report
        .latest()
        .filter(run -> run.checksFailed() > 0)
        .ifPresent(run -> badge(run.checksFailed() + " failed check(s)", "bad"));
    html.close("h2");
    if (!view.description().isEmpty()) {
      html.element("p", view.description(), "class", "description");
    }
    freshness(freshness);
    Optional<StatisticsRun> latest = report.latest();
    if (latest.isEmpty()) {
      html.element(
          "p",
          "No statistics yet: they are recorded by every materialization and by 'featurestore"
              + " stats'.",
          "class",
          "muted");
    } else {
      statistics(latest.get());
      checks(latest.get());
      history();
    }
    html.close("section");
  }

  private void badge(String text, String kind) {
    html.element("span", text, "class", "badge " + kind);
  }

  private void freshness(Freshness freshness) {
    html.open("p", "class", "freshness");
    html.element("strong", "Freshness: ");
    if (freshness.watermark().isEmpty()) {
      html.text(
          report.view().online()
              ? "never materialized (no watermark)"
              : "offline only (not materialized)");
    } else {
      html.text(
          "watermark "
              + freshness.watermark().get()
              + " ("
              + Formats.age(freshness.age().orElseThrow())
              + " old)");
    }
    html.text(
        freshness
            .expected()
            .map(d -> "; expected at most " + Durations.format(d) + " old")
            .orElse("; no freshness expectation declared"));
    if (freshness.stale()) {
      html.text(" ");
      html.element("span", "— stale", "class", "stale-note");
    }
    html.close("p");
  }

  private void statistics(StatisticsRun run) {
    ViewStatistics stats = run.statistics();
    html.element("h3", "Latest statistics");
    html.element(
        "p",
        String.format(
            "Run %s (%s, registry version %d), computed %s over %s to %s: %s rows.",
            run.runId(),
            run.origin(),
            run.registryVersion(),
            run.computedAt(),
            stats.start().map(Instant::toString).orElse("the beginning"),
            stats.end(),
            Formats.count(stats.rows())),
        "class",
        "muted");
    html.open("table", "class", "stats");
    html.row(
        true,
        "feature",
        "type",
        "rows",
        "nulls",
        "null %",
        "distinct ≈",
        "min",
        "max",
        "mean",
        "stddev",
        "p5",
        "p50",
        "p95",
        "notes");
    for (FeatureStatistics f : stats.features()) {
      Optional<Numbers> n = f.numbers();
      html.open("tr");
      for (String cell :
          List.of(
              f.feature(),
              f.type().typeName(),
              Formats.count(f.rows()),
              Formats.count(f.nulls()),
              Formats.percent(f.nullFraction()),
              Formats.count(f.approxDistinct()),
              n.map(x -> value(f, x.min())).orElse(""),
              n.map(x -> value(f, x.max())).orElse(""),
              n.map(x -> value(f, x.mean())).orElse(""),
              n.map(x -> spread(f, x.stddev())).orElse(""),
              quantile(f, "p5"),
              quantile(f, "p50"),
              quantile(f, "p95"))) {
        html.element("td", cell);
      }
      html.element("td", notes(f), "class", "notes");
      html.close("tr");
    }
    html.close("table");
    html.open("div", "class", "charts");
    for (FeatureStatistics f : stats.features()) {
      if (!f.histogram().isEmpty()) {
        List<String> lowers = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Bin bin : f.histogram()) {
          lowers.add(
              f.type() == ValueType.TIMESTAMP
                  ? Formats.shortInstant(bin.lower())
                  : Formats.number(bin.lower()));
          counts.add(bin.count());
        }
        chart(Charts.histogram(f.feature() + ": histogram", lowers, counts), f.feature());
      }
      if (!f.topValues().isEmpty()) {
        List<String> labels = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (ValueCount value : f.topValues()) {
          labels.add(value.value());
          counts.add(value.count());
        }
        chart(Charts.bars(f.feature() + ": top values", labels, counts, "count"), f.feature());
      }
    }
    html.close("div");
  }

  private static String quantile(FeatureStatistics f, String name) {
    Double value = f.quantiles().get(name);
    return value == null ? "" : value(f, value);
  }

  /** A value of the feature: timestamps (epoch seconds in the statistics) as instants. */
  private static String value(FeatureStatistics f, double value) {
    return f.type() == ValueType.TIMESTAMP ? Formats.instant(value) : Formats.number(value);
  }

  /** A standard deviation: of timestamps as a duration. */
  private static String spread(FeatureStatistics f, double stddev) {
    return f.type() == ValueType.TIMESTAMP
        ? Formats.age(Duration.ofMillis(Math.round(stddev * 1000)))
        : Formats.number(stddev);
  }

  private static String notes(FeatureStatistics f) {
    List<String> notes = new ArrayList<>();
    f.arrayLengths()
        .ifPresent(
            a ->
                notes.add(
                    "lengths "
                        + Formats.number(a.min())
                        + "–"
                        + Formats.number(a.max())
                        + ", mean "
                        + Formats.number(a.mean())));
    if (f.disallowed().isPresent() && f.disallowed().getAsLong() > 0) {
      notes.add(
          Formats.count(f.disallowed().getAsLong())
              + " not allowed (e.g. "
              + String.join(", ", f.disallowedExamples())
              + ")");
    }
    return String.join("; ", notes);
  }

  private void chart(String dataUri, String alt) {
    html.open("img", "class", "chart", "alt", alt, "src", dataUri);
  }

  private void checks(StatisticsRun run) {
    html.element("h3", "Checks");
    if (run.checks().isEmpty()) {
      html.element("p", "No checks evaluated in the latest run.", "class", "muted");
      return;
    }
    html.element(
        "p",
        run.checksPassed() + " passed, " + run.checksFailed() + " failed.",
        "class",
        run.checksFailed() > 0 ? "failed" : "muted");
    html.open("table", "class", "checks");
    html.row(true, "feature", "check", "result", "observed", "limit", "message");
    for (CheckResult check : run.checks()) {
      html.open("tr", "class", check.passed() ? "passed" : "failed");
      html.element("td", check.feature());
      html.element("td", check.check());
      html.element("td", check.passed() ? "passed" : "FAILED");
      html.element("td", check.observed());
      html.element("td", check.limit());
      html.element("td", check.message());
      html.close("tr");
    }
    html.close("table");
  }

  private void history() {
    List<StatisticsRun> all = report.runs();
    List<StatisticsRun> runs = all.subList(Math.max(0, all.size() - HISTORY_RUNS), all.size());
    html.element("h3", "History");
    if (runs.size() < 2) {
      html.element(
          "p", "One run so far: the history charts start with the second.", "class", "muted");
      return;
    }
    html.element(
        "p",
        (runs.size() < all.size() ? "The last " + runs.size() + " of " + all.size() : runs.size())
            + " runs, "
            + runs.get(0).computedAt()
            + " to "
            + report.latest().orElseThrow().computedAt()
            + ".",
        "class",
        "muted");
    List<Date> times = new ArrayList<>();
    List<Double> rows = new ArrayList<>();
    for (StatisticsRun run : runs) {
      times.add(Date.from(run.computedAt()));
      rows.add((double) run.statistics().rows());
    }
    html.open("div", "class", "charts");
    chart(Charts.lines("rows per run", Map.of("rows", new Series(times, rows))), "rows per run");
    Map<String, Series> nulls = new LinkedHashMap<>();
    Map<String, Series> means = new LinkedHashMap<>();
    for (String feature : report.view().featureNames()) {
      Series nullSeries = new Series();
      Series meanSeries = new Series();
      for (StatisticsRun run : runs) {
        Date time = Date.from(run.computedAt());
        run.statistics()
            .feature(feature)
            .ifPresent(
                f -> {
                  nullSeries.add(time, f.nullFraction());
                  if (f.type() != ValueType.TIMESTAMP) {
                    f.numbers().ifPresent(n -> meanSeries.add(time, n.mean()));
                  }
                });
      }
      if (!nullSeries.times().isEmpty()) {
        nulls.put(feature, nullSeries);
      }
      if (!meanSeries.times().isEmpty()) {
        means.put(feature, meanSeries);
      }
    }
    if (!nulls.isEmpty()) {
      chart(Charts.lines("null fraction per run", nulls), "null fraction per run");
    }
    means.forEach(
        (feature, series) ->
            chart(
                Charts.lines(feature + ": mean per run", Map.of(feature, series)),
                feature + ": mean per run"));
    html.close("div");
  }
}
