/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartsTest {
  @Test
  void compactsCoordinatesToHundredthsAndDropsTheDoctype() {
    String svg =
        "<?xml version=\"1.0\"?>\n"
            + "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/x.dtd\">\n"
            + "<svg><clipPath id=\"clip806419456\"/>"
            + "<path d=\"M1.234375,-0.828125 L10.5 Q9.5341796875,-6.640625 3 Z\"/></svg>\n";

    assertThat(Charts.compact(svg))
        .isEqualTo(
            "<?xml version=\"1.0\"?>\n<svg><clipPath id=\"clip806419456\"/>"
                + "<path d=\"M1.23,-0.82 L10.5 Q9.53,-6.64 3 Z\"/></svg>\n");
  }

  @Test
  void rendersAHistogramAsAnSvgDataUri() {
    String uri = Charts.histogram("x: histogram", List.of("0", "0.5"), List.of(3L, 4L));

    assertThat(uri).startsWith("data:image/svg+xml;base64,");
    String svg =
        new String(
            java.util.Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(svg).contains("<svg", "viewBox=\"0 0 460 240\"").doesNotContain("DOCTYPE");
  }

  @Test
  void drawsDegenerateDataWithoutFailing() {
    // A constant feature: one bin; a view with no rows: zero counts; a feature in one run only:
    // a one-point line; a null fraction that is 0 in every run: a flat line.
    Date first = Date.from(Instant.parse("2026-12-01T00:00:00Z"));
    Date second = Date.from(Instant.parse("2026-12-02T00:00:00Z"));
    List<String> uris =
        List.of(
            Charts.histogram("constant", List.of("7"), List.of(12L)),
            Charts.histogram("empty", List.of("0", "1"), List.of(0L, 0L)),
            Charts.bars("one value", List.of("gold"), List.of(1L), "count"),
            Charts.lines("one point", Map.of("f", new Charts.Series(List.of(first), List.of(0.5)))),
            Charts.lines(
                "flat",
                Map.of(
                    "a", new Charts.Series(List.of(first, second), List.of(0.0, 0.0)),
                    "b", new Charts.Series(List.of(second), List.of(0.0)))));

    assertThat(uris).allSatisfy(uri -> assertThat(uri).startsWith("data:image/svg+xml;base64,"));
  }
}
