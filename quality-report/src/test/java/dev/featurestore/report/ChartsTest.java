/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static org.assertj.core.api.Assertions.assertThat;

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
    String uri =
        Charts.histogram("x: histogram", java.util.List.of("0", "0.5"), java.util.List.of(3L, 4L));

    assertThat(uri).startsWith("data:image/svg+xml;base64,");
    String svg =
        new String(
            java.util.Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(svg).contains("<svg", "viewBox=\"0 0 460 240\"").doesNotContain("DOCTYPE");
  }
}
