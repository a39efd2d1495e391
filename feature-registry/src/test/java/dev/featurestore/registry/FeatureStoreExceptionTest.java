/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FeatureStoreExceptionTest {
  @Test
  void formatsTheMessageAndChainsTheCause() {
    IOException cause = new IOException("disk full");

    FeatureStoreException e =
        FeatureStoreException.of(
            ErrorCode.UNAVAILABLE, cause, "Cannot write %s: %s", "out/part-0.parquet", cause);

    assertThat(e)
        .hasMessage("Cannot write out/part-0.parquet: java.io.IOException: disk full")
        .hasCause(cause);
    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void keepsPercentSignsOfArgumentsAsTheyAre() {
    IllegalArgumentException cause = new IllegalArgumentException("bad %d");
    FeatureStoreException e =
        FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            cause,
            "Cannot resolve '%s': %s",
            "data/100%.parquet",
            cause.getMessage());

    assertThat(e).hasMessage("Cannot resolve 'data/100%.parquet': bad %d").hasCause(cause);
    assertThat(e.errorCode().isUserError()).isTrue();
  }
}
