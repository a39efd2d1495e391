/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import dev.featurestore.registry.quality.StatisticsRun;
import java.util.Optional;

/** The page around the view sections: head, summary, and the drift and verify tables. */
final class ReportPage {
  private static final String STYLE =
      """
      body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222;
             margin: 24px auto; max-width: 1220px; padding: 0 16px; font-size: 14px; }
      h1 { font-size: 22px; margin-bottom: 4px; }
      h2 { font-size: 18px; margin: 0 0 8px; }
      h3 { font-size: 15px; margin: 18px 0 6px; }
      .muted { color: #666; }
      p.failed { color: #a12a2a; font-weight: bold; }
      section.view, section.results { border: 1px solid #ddd; border-radius: 6px;
             padding: 14px 18px; margin: 18px 0; background: #fff; }
      table { border-collapse: collapse; margin: 6px 0 10px; }
      th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 8px; text-align: right;
             white-space: nowrap; }
      th { background: #f4f6f8; font-weight: 600; }
      td:first-child, th:first-child { text-align: left; }
      table.checks td, table.verify td, table.summary td, table.summary th, table.checks th {
             text-align: left; white-space: normal; }
      td.notes { text-align: left; white-space: normal; max-width: 240px; }
      .stale-note { color: #a12a2a; font-weight: 600; }
      tr.failed td, tr.drifted td, tr.stale td { background: #fbeaea; }
      .badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px;
             border-radius: 10px; margin-left: 6px; vertical-align: middle; }
      .badge.bad { background: #c0392b; color: #fff; }
      .badge.good { background: #2a7f62; color: #fff; }
      .badge.neutral { background: #e3e8ee; color: #334; }
      .charts { display: flex; flex-wrap: wrap; gap: 10px; }
      img.chart { border: 1px solid #eee; border-radius: 4px; background: #fff; }
      nav a { margin-right: 12px; }
      """;

  private final Html html = new Html();
  private final ReportData data;

  ReportPage(ReportData data) {
    this.data = data;
  }

  String render() {
    String project = data.version().definitions().project();
    html.trusted("<!DOCTYPE html>\n");
    html.open("html", "lang", "en");
    html.open("head");
    html.trusted("<meta charset=\"utf-8\">\n");
    html.element("title", "Data quality report: " + project);
    html.open("style").trusted(STYLE).close("style");
    html.close("head");
    html.open("body");
    html.element("h1", "Data quality report: " + project);
    html.element(
        "p",
        String.format(
            "Registry %s, version %d (applied %s). Report generated %s.",
            data.registryLocation(),
            data.version().number(),
            data.version().appliedAt(),
            data.generatedAt()),
        "class",
        "muted");
    summary();
    data.drift().ifPresent(this::drift);
    data.verify().ifPresent(this::verify);
    for (ViewReport view : data.views()) {
      new ViewSection(html, view, data.generatedAt()).write();
    }
    html.close("body");
    html.close("html");
    return html.toString();
  }

  private void summary() {
    html.open("section", "class", "results", "id", "summary");
    html.element("h2", "Feature views");
    html.open("table", "class", "summary");
    html.row(true, "view", "freshness", "watermark age", "latest rows", "checks", "runs");
    for (ViewReport view : data.views()) {
      Freshness freshness = view.freshness(data.generatedAt());
      Optional<StatisticsRun> latest = view.latest();
      boolean failed = latest.map(r -> r.checksFailed() > 0).orElse(false);
      html.open("tr", "class", freshness.stale() || failed ? "stale" : "ok");
      html.open("td").open("a", "href", "#view-" + view.view().name());
      html.text(view.view().name()).close("a").close("td");
      html.element("td", freshness.status().label);
      html.element("td", freshness.age().map(Formats::age).orElse("—"));
      html.element("td", latest.map(r -> Formats.count(r.statistics().rows())).orElse("—"));
      html.element("td", latest.map(ReportPage::checks).orElse("—"));
      html.element("td", Integer.toString(view.runs().size()));
      html.close("tr");
    }
    html.close("table");
    html.close("section");
  }

  /**
   * The checks of a run in a few words: {@code none}, {@code all 6 passed}, {@code 1 failed of 2}.
   */
  private static String checks(StatisticsRun run) {
    if (run.checks().isEmpty()) {
      return "none";
    }
    return run.checksFailed() == 0
        ? "all " + run.checks().size() + " passed"
        : run.checksFailed() + " failed of " + run.checks().size();
  }

  private void drift(DriftResults drift) {
    html.open("section", "class", "results", "id", "drift");
    html.open("h2").text("Drift ");
    badge(drift.drifted());
    html.close("h2");
    html.element(
        "p",
        String.format(
            "Training set %s against %s values from %s to %s; a feature drifts when PSI > %s.",
            drift.trainingSet(),
            drift.against() == null ? "offline" : drift.against(),
            dash(drift.start()),
            dash(drift.end()),
            Formats.number(drift.threshold())),
        "class",
        "muted");
    html.open("table", "class", "drift");
    html.row(
        true,
        "view",
        "feature",
        "type",
        "PSI",
        "KS",
        "drifted",
        "training rows",
        "current rows",
        "note");
    for (DriftResults.Feature f : drift.features()) {
      html.open("tr", "class", f.drifted() ? "drifted" : "ok");
      html.element("td", f.view());
      html.element("td", f.feature());
      html.element("td", dash(f.type()));
      html.element("td", f.psi() == null ? "—" : Formats.number(f.psi()));
      html.element("td", f.ks() == null ? "—" : Formats.number(f.ks()));
      html.element("td", f.drifted() ? "DRIFTED" : "no");
      html.element("td", Formats.count(f.trainingRows()));
      html.element("td", Formats.count(f.currentRows()));
      html.element("td", f.note() == null ? "" : f.note(), "class", "notes");
      html.close("tr");
    }
    html.close("table");
    html.close("section");
  }

  private void verify(VerifyResults verify) {
    html.open("section", "class", "results", "id", "verify");
    html.open("h2").text("Online/offline consistency ");
    badge(!verify.consistent());
    html.close("h2");
    html.element(
        "p",
        String.format(
            "%d entities sampled per view, looked up at %s.",
            verify.sample(), dash(verify.lookupTime())),
        "class",
        "muted");
    html.open("table", "class", "verify-views");
    html.row(
        true, "view", "entities", "online only", "offline only", "newer offline", "mismatches");
    for (VerifyResults.View v : verify.views()) {
      long mismatches = v.features().stream().mapToLong(VerifyResults.Feature::mismatches).sum();
      html.open(
          "tr",
          "class",
          mismatches > 0 || v.onlineOnly() > 0 || v.offlineOnly() > 0 ? "failed" : "ok");
      html.element("td", v.view());
      html.element("td", Formats.count(v.entities()));
      html.element("td", Formats.count(v.onlineOnly()));
      html.element("td", Formats.count(v.offlineOnly()));
      html.element("td", Formats.count(v.newerOffline()));
      html.element("td", Formats.count(mismatches));
      html.close("tr");
    }
    html.close("table");
    html.open("table", "class", "verify");
    html.row(
        true,
        "view",
        "feature",
        "matches",
        "mismatches",
        "example entity",
        "online",
        "offline",
        "online timestamp",
        "offline timestamp");
    for (VerifyResults.View v : verify.views()) {
      for (VerifyResults.Feature f : v.features()) {
        VerifyResults.Example example = f.examples().isEmpty() ? null : f.examples().get(0);
        html.open("tr", "class", f.mismatches() > 0 ? "failed" : "ok");
        html.element("td", v.view());
        html.element("td", f.feature());
        html.element("td", Formats.count(f.matches()));
        html.element("td", Formats.count(f.mismatches()));
        html.element("td", example == null ? "" : String.valueOf(example.entity()));
        html.element("td", example == null ? "" : String.valueOf(example.online()));
        html.element("td", example == null ? "" : String.valueOf(example.offline()));
        html.element("td", example == null ? "" : dash(example.onlineTimestamp()));
        html.element("td", example == null ? "" : dash(example.offlineTimestamp()));
        html.close("tr");
      }
    }
    html.close("table");
    html.close("section");
  }

  private void badge(boolean problem) {
    html.element("span", problem ? "found" : "none", "class", problem ? "badge bad" : "badge good");
  }

  private static String dash(String text) {
    return text == null || text.isEmpty() ? "—" : text;
  }
}
