/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts: XChart charts rendered to SVG on the server and returned as {@code
 * data:image/svg+xml;base64,...} URIs for an {@code <img>}. An image keeps each SVG's own element
 * ids (clip paths) in its own document, so many charts on one page cannot clash, and a value in a
 * chart label can never become markup of the page.
 */
final class Charts {
  static final int SMALL_WIDTH = 300;
  static final int SMALL_HEIGHT = 170;
  static final int WIDTH = 460;
  static final int HEIGHT = 240;
  private static final Color BAR = new Color(0x3b, 0x6e, 0xa8);
  private static final Color LINE = new Color(0x2a, 0x7f, 0x62);
  private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^>]*>\\n?");
  private static final Pattern DECIMALS = Pattern.compile("(\\d\\.\\d\\d)\\d+");
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

  static {
    // Charts are drawn into an off-screen Graphics2D: never reach for a display, even where one
    // is set (a command run from a desktop terminal).
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /**
   * A histogram: one bar per bin, labelled by its lower bound.
   *
   * @param lowers the lower bound of each bin, as shown
   * @param counts the count of each bin
   */
  static String histogram(String title, List<String> lowers, List<Long> counts) {
    return bars(title, lowers, counts, "count");
  }

  /** A bar chart of categories (e.g. the most frequent values), in the given order. */
  static String bars(String title, List<String> labels, List<Long> counts, String seriesName) {
    CategoryChart chart =
        new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setAvailableSpaceFill(0.9);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(labels.size() > 8 ? 60 : 0);
    chart.getStyler().setSeriesColors(new Color[] {BAR});
    List<Double> values = new ArrayList<>();
    for (Long count : counts) {
      values.add(count.doubleValue());
    }
    chart.addSeries(seriesName, labels, values);
    return dataUri(chart);
  }

  /** A small line chart of values per run over time: one line per series, by series name. */
  static String lines(String title, Map<String, Series> series) {
    boolean legend = series.size() > 1;
    // A legend beside the plot: a wider chart, so the plot keeps the small charts' width.
    XYChart chart =
        new XYChartBuilder()
            .width(legend ? WIDTH : SMALL_WIDTH)
            .height(SMALL_HEIGHT)
            .title(title)
            .build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(legend);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    // Enough digits for small changes between runs, no binary noise (79.41359999999).
    chart.getStyler().setYAxisDecimalPattern("#,##0.######");
    chart.getStyler().setLegendFont(AXIS);
    chart.getStyler().setLegendBorderColor(Color.WHITE);
    List<Date> all = new ArrayList<>();
    series.values().forEach(s -> all.addAll(s.times()));
    all.sort(null);
    chart.getStyler().setDatePattern(all.size() > 1 && spansDays(all) ? "MM-dd" : "HH:mm");
    if (series.size() == 1) {
      chart.getStyler().setSeriesColors(new Color[] {LINE});
    }
    series.forEach(
        (name, s) -> chart.addSeries(name, s.times(), s.values()).setMarker(SeriesMarkers.CIRCLE));
    return dataUri(chart);
  }

  /** One line of a history chart: a value per run time. */
  record Series(List<Date> times, List<Double> values) {
    Series() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    void add(Date time, double value) {
      times.add(time);
      values.add(value);
    }
  }

  private static boolean spansDays(List<Date> times) {
    return times.get(times.size() - 1).getTime() - times.get(0).getTime() > 86_400_000L;
  }

  private static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderVisible(false);
    styler.setChartTitleFont(TITLE);
    styler.setChartTitleBoxVisible(false);
    styler.setChartPadding(6);
    styler.setAntiAlias(true);
    if (styler instanceof AxesChartStyler axes) {
      axes.setAxisTickLabelsFont(AXIS);
      axes.setPlotGridLinesColor(new Color(0xe4, 0xe4, 0xe4));
      axes.setAxisTickMarksColor(Color.GRAY);
    }
  }

  private static String dataUri(IChart chart) {
    byte[] svg;
    try {
      svg = ChartEncoder.getBytes(chart, "svg");
    } catch (IOException e) {
      throw new FeatureStoreException(ErrorCode.INTERNAL_ERROR, "Cannot render a chart", e);
    }
    return "data:image/svg+xml;base64,"
        + Base64.getEncoder().encodeToString(compact(new String(svg, UTF_8)).getBytes(UTF_8));
  }

  /**
   * XChart draws text as glyph outlines, and VectorGraphics2D writes their coordinates with up to
   * 10 decimals: 2 (a hundredth of a pixel) draw the same and halve the file. The DOCTYPE names the
   * SVG 1.1 DTD by URL; an image needs none, so the report holds no address to fetch.
   */
  static String compact(String svg) {
    return DECIMALS.matcher(DOCTYPE.matcher(svg).replaceFirst("")).replaceAll("$1");
  }
}
