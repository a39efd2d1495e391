/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in a real browser, headless Debian Chromium: every chart image must decode (its
 * natural size is non-zero), and a screenshot of the page must show a drawn page, not a blank one.
 * The report and its screenshot stay under {@code target/report-browser/} as build artifacts.
 */
class ReportBrowserIT {
  /** Debian's Chromium; {@code -Dfeaturestore.test.chromium=PATH} points elsewhere. */
  static final Path CHROMIUM =
      Path.of(System.getProperty("featurestore.test.chromium", "/usr/bin/chromium"));

  static final Path OUT = Path.of("target", "report-browser").toAbsolutePath();
  static final Pattern RENDERED_CHART =
      Pattern.compile("<img class=\"chart\"[^>]*data-rendered=\"(\\d+)x(\\d+)\"[^>]*>");

  @TempDir static Path dir;
  static Path report;

  @BeforeAll
  static void writeReport() throws IOException {
    Files.createDirectories(OUT);
    var registry = ReportFixtures.registry(dir.resolve("registry"));
    ReportData data =
        QualityReport.collect(
            registry,
            ReportFixtures.version(registry),
            ReportFixtures.NOW,
            Optional.of(ResultFiles.drift(QualityReportTest.resource("drift.json"))),
            Optional.of(ResultFiles.verify(QualityReportTest.resource("verify.json"))));
    report = OUT.resolve("report.html");
    QualityReport.write(data, report);
  }

  @BeforeEach
  void requireChromium() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "Chromium is not installed at "
            + CHROMIUM
            + ": install Debian's package to run this browser test (apt-get install -y chromium;"
            + " .ci/run does it where it can)");
  }

  @Test
  void everyChartDecodesInTheBrowser() throws Exception {
    // A copy of the report with a probe: on load, each chart gets its decoded size as an
    // attribute, which --dump-dom then shows. The report itself has no script.
    String probe =
        "<script>window.addEventListener('load', () => document.querySelectorAll('img.chart')"
            + ".forEach(i => i.setAttribute('data-rendered', i.naturalWidth + 'x' +"
            + " i.naturalHeight)));</script>";
    Path probed = OUT.resolve("report-probed.html");
    Files.writeString(probed, Files.readString(report).replace("</body>", probe + "</body>"));

    String dom = chromium("--dump-dom", "--virtual-time-budget=10000", probed.toUri().toString());

    Matcher charts = RENDERED_CHART.matcher(dom);
    List<String> sizes = new ArrayList<>();
    while (charts.find()) {
      sizes.add(charts.group(1) + "x" + charts.group(2));
    }
    assertThat(sizes)
        .hasSize(QualityReportTest.EXPECTED_CHARTS)
        .allSatisfy(size -> assertThat(size).isIn("460x240", "460x170", "300x170"));
    // 7 histograms and top values, 1 null-fraction history with its legend, 4 one-line histories
    assertThat(sizes).filteredOn("460x240"::equals).hasSize(7);
    assertThat(sizes).filteredOn("460x170"::equals).hasSize(1);
    assertThat(dom).contains("<h1>Data quality report: rides</h1>");
  }

  @Test
  void theScreenshotShowsADrawnPage() throws Exception {
    Path screenshot = OUT.resolve("report-screenshot.png");
    Files.deleteIfExists(screenshot);

    chromium(
        "--screenshot=" + screenshot,
        "--window-size=1280,2000",
        "--hide-scrollbars",
        "--virtual-time-budget=10000",
        report.toUri().toString());

    BufferedImage image = ImageIO.read(screenshot.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(2000);
    Set<Integer> colours = new HashSet<>();
    long nonWhite = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb != 0xffffff) {
          nonWhite++;
        }
      }
    }
    long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
    // Text, table shading, badges and bars: hundreds of colours (anti-aliasing) and well over 3%
    // of the pixels drawn; a blank or error page has a handful of colours.
    assertThat(colours.size()).isGreaterThan(100);
    assertThat(nonWhite).isGreaterThan(sampled * 3 / 100);
  }

  /** Runs headless Chromium with the flags for an offline, throw-away profile; returns stdout. */
  static String chromium(String... arguments) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    command.addAll(List.of(arguments));
    Path stdout = dir.resolve("chromium-" + System.nanoTime() + ".out");
    Path stderr = dir.resolve("chromium-" + System.nanoTime() + ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish in 120 s: " + command);
    }
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("chromium exit code; stderr:%n%s", err).isZero();
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }
}
