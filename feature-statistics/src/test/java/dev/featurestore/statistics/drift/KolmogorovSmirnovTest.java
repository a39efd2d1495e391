/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class KolmogorovSmirnovTest {
  private static KllDoublesSketch sketch(double... values) {
    KllDoublesSketch sketch = SketchSize.newKll();
    for (double value : values) {
      sketch.update(value);
    }
    return sketch;
  }

  @Test
  void isTheLargestGapBetweenTheDistributionFunctions() {
    // F_t over {1,2,3,4}: 1->.25, 2->.5, 3->.75, 4->1. F_c over {3,4,5,6}: 3->.25, 4->.5, 5->.75.
    // Gaps: x=1 .25, x=2 .5, x=3 .5, x=4 .5, x=5 .25, x=6 0. D = 0.5.
    assertThat(KolmogorovSmirnov.statistic(sketch(1, 2, 3, 4), sketch(3, 4, 5, 6)))
        .isCloseTo(0.5, within(1e-12));
  }

  @Test
  void isZeroForTheSameValuesAndOneForDisjointRanges() {
    assertThat(KolmogorovSmirnov.statistic(sketch(1, 2, 3), sketch(3, 2, 1))).isZero();
    assertThat(KolmogorovSmirnov.statistic(sketch(1, 2), sketch(3, 4))).isEqualTo(1.0);
  }

  @Test
  void handlesDifferentSizesAndTies() {
    // F_t over {1,1,2}: 1->2/3, 2->1. F_c over {1,2,2,2}: 1->1/4, 2->1. D = 2/3 - 1/4 = 5/12.
    assertThat(KolmogorovSmirnov.statistic(sketch(1, 1, 2), sketch(1, 2, 2, 2)))
        .isCloseTo(5.0 / 12, within(1e-12));
  }

  @Test
  void isExactUntilASketchEstimatesAndWithinTheStatedErrorAfter() {
    assertThat(KolmogorovSmirnov.maxError(sketch(1, 2), sketch(3))).isZero();

    // 200,000 uniform values against the same shifted by 0.1: D = 0.1.
    Random random = new Random(7);
    KllDoublesSketch training = SketchSize.newKll();
    KllDoublesSketch current = SketchSize.newKll();
    for (int i = 0; i < 200_000; i++) {
      training.update(random.nextDouble());
      current.update(random.nextDouble() + 0.1);
    }
    double error = KolmogorovSmirnov.maxError(training, current);
    assertThat(error).isBetween(0.001, 0.01);
    // Sampling noise of D at this size is about 1.36 * sqrt(2 / 200,000) = 0.004.
    assertThat(KolmogorovSmirnov.statistic(training, current))
        .isCloseTo(0.1, within(error + 0.005));
  }

  @Test
  void rejectsAnEmptySketch() {
    assertThatThrownBy(() -> KolmogorovSmirnov.statistic(sketch(), sketch(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute a KS statistic of an empty sketch");
  }
}
