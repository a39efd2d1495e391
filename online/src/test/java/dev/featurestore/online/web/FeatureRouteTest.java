/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which {@code Accept} headers take JSON (the route answers the others 406). */
class FeatureRouteTest {
  @Test
  void takesRequestsThatAcceptJson() {
    assertThat(FeatureRoute.acceptsJson(List.of())).isTrue();
    assertThat(FeatureRoute.acceptsJson(List.of("application/json"))).isTrue();
    assertThat(FeatureRoute.acceptsJson(List.of("*/*"))).isTrue();
    assertThat(FeatureRoute.acceptsJson(List.of("application/*;q=0.5"))).isTrue();
    assertThat(FeatureRoute.acceptsJson(List.of("text/html", "application/json;q=0.9"))).isTrue();
    assertThat(FeatureRoute.acceptsJson(List.of("text/html, */*;q=0.1"))).isTrue();
  }

  @Test
  void ignoresAcceptHeadersThatDoNotParse() {
    assertThat(FeatureRoute.acceptsJson(List.of("not a media type"))).isTrue();
    assertThat(FeatureRoute.acceptsJson(List.of("text/csv", ";;;"))).isTrue();
  }

  @Test
  void refusesOtherAcceptHeaders() {
    assertThat(FeatureRoute.acceptsJson(List.of("text/csv"))).isFalse();
    assertThat(FeatureRoute.acceptsJson(List.of("application/xml", "text/*"))).isFalse();
  }
}
