/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityReportTest {
  static final Pattern CHART =
      Pattern.compile(
          "<img class=\"chart\" alt=\"[^\"]*\" src=\"data:image/svg\\+xml;base64,([^\"]+)\">");

  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(QualityReportTest.class.getResource("/report/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  ReportData data(boolean withResults) {
    Registry registry = ReportFixtures.registry(dir.resolve("registry"));
    return QualityReport.collect(
        registry,
        ReportFixtures.version(registry),
        ReportFixtures.NOW,
        withResults ? Optional.of(ResultFiles.drift(resource("drift.json"))) : Optional.empty(),
        withResults ? Optional.of(ResultFiles.verify(resource("verify.json"))) : Optional.empty());
  }

  /**
   * The charts of the fixture: driver_hourly_stats 3 histograms + 4 runs of history (rows, null
   * fraction, 3 means); customer_profile 3 histograms + 1 top-values chart, 1 run (no history);
   * driver_daily nothing.
   */
  static final int EXPECTED_CHARTS = 3 + 1 + 1 + 3 + 3 + 1;

  /** The page without the charts' base64 (so a failed assertion prints a readable page). */
  static String text(String html) {
    return html.replaceAll("base64,[^\"]+", "base64,...");
  }

  @Test
  void collectsTheViewsWatermarksAndHistoryFromTheRegistry() {
    ReportData data = data(false);

    assertThat(data.views())
        .extracting(v -> v.view().name())
        .containsExactly("customer_profile", "driver_daily", "driver_hourly_stats", "driver_trips");
    // An aggregated view is listed, with no statistics runs (its values are computed at lookup).
    assertThat(data.views().get(3).runs()).isEmpty();
    assertThat(data.views().get(2).runs())
        .extracting("runId")
        .containsExactly("run-hourly-0", "run-hourly-1", "run-hourly-2", "run-hourly-3");
    assertThat(data.views().get(1).watermark()).isEmpty();
    assertThat(data.views().get(0).freshness(ReportFixtures.NOW).status())
        .isEqualTo(Freshness.Status.STALE);
    assertThat(data.views().get(2).freshness(ReportFixtures.NOW).status())
        .isEqualTo(Freshness.Status.FRESH);
  }

  @Test
  void rendersOneSvgChartPerHistogramTopValuesAndHistorySeries() {
    String html = QualityReport.render(data(true));

    Matcher charts = CHART.matcher(html);
    int count = 0;
    while (charts.find()) {
      String svg =
          new String(
              Base64.getDecoder().decode(charts.group(1)), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(svg).contains("<svg").endsWith("</svg>\n");
      count++;
    }
    assertThat(count).isEqualTo(EXPECTED_CHARTS);
    assertThat(html).doesNotContain("http://", "https://", "<script");
  }

  @Test
  void flagsStaleViewsAndFailedChecks() {
    String html = text(QualityReport.render(data(false)));

    assertThat(html)
        .contains("watermark 2026-12-02T01:00:00Z (5h 0m old); expected at most 1h old")
        .contains("watermark 2026-12-02T05:30:00Z (30m 0s old); expected at most 2h old")
        .contains("<span class=\"badge bad\">stale</span>")
        .contains("<td>max_null_fraction</td><td>FAILED</td><td>8.2%</td><td>5%</td>")
        .contains("1 passed, 1 failed.")
        .contains("never materialized (no watermark)");
  }

  @Test
  void escapesEveryValueInTextAndAttributes() {
    String html = text(QualityReport.render(data(false)));

    assertThat(html)
        .contains("7 not allowed (e.g. &lt;b&gt;platinum &amp; &quot;vip&quot;&lt;/b&gt;)")
        .doesNotContain("<b>platinum");
  }

  @Test
  void showsTheDriftAndVerifyTables() {
    String html = text(QualityReport.render(data(true)));

    assertThat(html)
        .contains(
            "<tr class=\"drifted\"><td>driver_hourly_stats</td><td>conv_rate</td><td>float64</td>"
                + "<td>0.4113</td><td>0.2871</td><td>DRIFTED</td><td>1,000</td><td>4,800</td>"
                + "<td class=\"notes\"></td></tr>")
        .contains(
            "<td>driver_daily</td><td>embedding</td><td>array&lt;float32&gt;</td><td>&mdash;</td>"
                + "<td>&mdash;</td><td>no</td><td>0</td><td>0</td><td class=\"notes\">not"
                + " compared: arrays have no distribution to compare</td>")
        .contains(
            "<td>customer_profile</td><td>segment</td><td>string</td><td>0.0071</td><td>&mdash;</td>")
        .contains(
            "<td>conv_rate</td><td>999</td><td>1</td><td>{&quot;driver_id&quot;:1004}</td>"
                + "<td>0.99</td><td>0.42</td>");
  }

  @Test
  void writesTheFileAndRefusesAMissingFolder() throws IOException {
    ReportData data = data(false);
    Path output = dir.resolve("report.html");
    QualityReport.write(data, output);
    assertThat(Files.readString(output)).startsWith("<!DOCTYPE html>");

    Path missing = dir.resolve("no-such-folder/report.html");
    assertThatThrownBy(() -> QualityReport.write(data, missing))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot write the report to %s: the folder %s does not exist (create it first)",
            missing, dir.resolve("no-such-folder"));
  }

  @Test
  void namesTheLineAndColumnOfABrokenResultsFile() {
    Path broken = resource("broken-drift.json");
    assertThatThrownBy(() -> ResultFiles.drift(broken))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot read the drift results " + broken + " at line 5, column ")
        .hasMessageEndingWith("(expected the output of 'featurestore drift --json')");

    Path missing = dir.resolve("verify.json");
    assertThatThrownBy(() -> ResultFiles.verify(missing))
        .hasMessage("Cannot read the verify results " + missing + ": no such file");
  }

  @Test
  void showsTimestampStatisticsAsInstantsAndDurations() {
    FeatureView view =
        new FeatureView(
            "trips",
            List.of("driver"),
            "trips_src",
            Duration.ZERO,
            true,
            List.of(Feature.of("last_trip", ValueType.TIMESTAMP)),
            Map.of(),
            "");
    // 05:00 to 06:00 on 2026-12-02 in epoch seconds; mean 05:30, stddev 900 s.
    FeatureStatistics lastTrip =
        new FeatureStatistics(
            "last_trip",
            ValueType.TIMESTAMP,
            10,
            0,
            10,
            Optional.of(new Numbers(1_796_187_600, 1_796_191_200, 1_796_189_400, 900)),
            Map.of("p50", 1_796_189_400.0),
            List.of(
                new Bin(1_796_187_600, 1_796_189_400, 5), new Bin(1_796_189_400, 1_796_191_200, 5)),
            List.of(),
            Optional.empty(),
            OptionalLong.empty(),
            List.of());
    StatisticsRun run =
        new StatisticsRun(
            "r1",
            "trips",
            1,
            ReportFixtures.NOW,
            StatisticsRun.STATS,
            new ViewStatistics(
                "trips", Optional.empty(), ReportFixtures.NOW, 10, List.of(lastTrip)),
            List.of());
    Definitions definitions = new Definitions("p", List.of(), List.of(), List.of(view), List.of());
    ReportData data =
        new ReportData(
            new RegistryVersion(1, "hash", ReportFixtures.NOW, definitions),
            "test",
            ReportFixtures.NOW,
            List.of(new ViewReport(view, Optional.empty(), List.of(run))),
            Optional.empty(),
            Optional.empty());

    String html = text(QualityReport.render(data));

    assertThat(html)
        .contains(
            "<td>last_trip</td><td>timestamp</td><td>10</td><td>0</td><td>0%</td><td>10</td>"
                + "<td>2026-12-02T05:00:00Z</td><td>2026-12-02T06:00:00Z</td>"
                + "<td>2026-12-02T05:30:00Z</td><td>15m 0s</td><td></td>"
                + "<td>2026-12-02T05:30:00Z</td><td></td>")
        .contains("<img class=\"chart\" alt=\"last_trip\" src=\"data:image/svg+xml;base64,...\">");
  }

  @Test
  void chartsTheNewestHundredRuns() {
    FeatureView view =
        ReportFixtures.definitions().featureView("driver_hourly_stats").orElseThrow();
    StatisticsRun template = ReportFixtures.hourlyRuns().get(0);
    List<StatisticsRun> runs = new java.util.ArrayList<>();
    for (int i = 0; i < 102; i++) {
      runs.add(
          new StatisticsRun(
              "run-" + i,
              template.view(),
              1,
              ReportFixtures.NOW.minusSeconds(3600L * (102 - i)),
              StatisticsRun.MATERIALIZE,
              template.statistics(),
              List.of()));
    }
    ReportData data =
        new ReportData(
            new RegistryVersion(1, "hash", ReportFixtures.NOW, ReportFixtures.definitions()),
            "test",
            ReportFixtures.NOW,
            List.of(new ViewReport(view, Optional.empty(), runs)),
            Optional.empty(),
            Optional.empty());

    String html = text(QualityReport.render(data));

    assertThat(html)
        .contains(
            "<p class=\"muted\">The last 100 of 102 runs, 2026-11-28T02:00:00Z to"
                + " 2026-12-02T05:00:00Z.</p>");
  }
}
