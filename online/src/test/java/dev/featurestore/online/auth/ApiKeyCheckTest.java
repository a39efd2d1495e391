/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeyCheckTest {
  private final ApiKeyCheck check = new ApiKeyCheck(Optional.of("k3y"));

  @Test
  void letsEverythingThroughWithoutAConfiguredKey() {
    ApiKeyCheck open = new ApiKeyCheck(Optional.empty());
    assertThat(open.isRequired()).isFalse();
    assertThat(open.rejection(null, null)).isNull();
    assertThat(open.rejection("anything", "Basic xyz")).isNull();
  }

  @Test
  void acceptsTheHeaderOrABearerToken() {
    assertThat(check.isRequired()).isTrue();
    assertThat(check.rejection("k3y", null)).isNull();
    assertThat(check.rejection(null, "Bearer k3y")).isNull();
    assertThat(check.rejection(null, "bearer  k3y ")).isNull();
  }

  @Test
  void saysWhatIsWrong() {
    assertThat(check.rejection(null, null))
        .isEqualTo(
            "Cannot authenticate: the X-API-Key header is missing; send the API key of"
                + " featurestore.yaml (online.api_key) in it or as 'Authorization: Bearer <key>'");
    assertThat(check.rejection("k3", null))
        .isEqualTo(
            "Cannot authenticate: the X-API-Key header does not match the configured API key");
    assertThat(check.rejection(null, "Bearer nope"))
        .isEqualTo("Cannot authenticate: the bearer token does not match the configured API key");
    assertThat(check.rejection(null, "Basic azN5Og=="))
        .startsWith("Cannot authenticate: the Authorization header is not 'Bearer <key>'");
  }

  @Test
  void checksTheHeaderBeforeTheBearerToken() {
    assertThat(check.rejection("wrong", "Bearer k3y")).contains("X-API-Key header does not match");
  }
}
