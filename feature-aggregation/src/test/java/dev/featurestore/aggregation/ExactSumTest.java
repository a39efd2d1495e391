/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {
  private static ExactSum sumOf(List<Double> values) {
    ExactSum sum = new ExactSum();
    values.forEach(sum::add);
    return sum;
  }

  private static ExactSum squaresOf(List<Double> values) {
    ExactSum squares = new ExactSum();
    values.forEach(squares::addSquare);
    return squares;
  }

  @Test
  void roundsOnceWhereDoublesLoseTheSmallTerms() {
    // 1e16 + 1 + 1 - 1e16 is 2 exactly; summed in doubles left to right it is 0.
    List<Double> values = List.of(1e16, 1.0, 1.0, -1e16);
    assertThat(sumOf(values).toDouble()).isEqualTo(2.0);
    assertThat(sumOf(List.of(0.1, 0.2)).toDouble()).isEqualTo(0.30000000000000004);
    assertThat(sumOf(List.of()).toDouble()).isEqualTo(0.0);
    assertThat(sumOf(List.of(-0.0, 5e-324, 5e-324)).toDouble()).isEqualTo(1e-323);
    assertThat(sumOf(List.of(Double.MAX_VALUE, Double.MAX_VALUE)).toDouble())
        .isEqualTo(Double.POSITIVE_INFINITY);
    ExactSum longs = new ExactSum();
    longs.add(Long.MAX_VALUE);
    longs.add(Long.MIN_VALUE);
    longs.add(3L);
    assertThat(longs.toDouble()).isEqualTo(2.0);
  }

  @Test
  void m2IsTheExactSumOfSquaredDifferences() {
    // 2, 4, 9: mean 5, squared differences 9 + 1 + 16 = 26.
    List<Double> values = List.of(2.0, 4.0, 9.0);
    assertThat(ExactSum.m2(sumOf(values), squaresOf(values), 3)).isEqualTo(26.0);
    // A large offset that cancels catastrophically in doubles: 1e9 + {1, 2, 3}: M2 = 2.
    List<Double> offset = List.of(1e9 + 1, 1e9 + 2, 1e9 + 3);
    assertThat(ExactSum.m2(sumOf(offset), squaresOf(offset), 3)).isEqualTo(2.0);
    assertThat(ExactSum.m2(new ExactSum(), new ExactSum(), 0)).isEqualTo(0.0);
    ExactSum one = new ExactSum();
    one.add(7L);
    ExactSum oneSquare = new ExactSum();
    oneSquare.addSquare(7L);
    assertThat(ExactSum.m2(one, oneSquare, 1)).isEqualTo(0.0);
  }

  @Test
  void agreesWithBigDecimalAndIgnoresTheOrder() {
    Random random = new Random(3);
    for (int round = 0; round < 300; round++) {
      List<Double> values = new ArrayList<>();
      int count = 1 + random.nextInt(50);
      for (int i = 0; i < count; i++) {
        double magnitude = Math.pow(10, random.nextInt(40) - 20);
        values.add((random.nextDouble() - 0.3) * magnitude);
      }
      BigDecimal exact = BigDecimal.ZERO;
      BigDecimal exactSquares = BigDecimal.ZERO;
      for (double v : values) {
        exact = exact.add(new BigDecimal(v));
        exactSquares = exactSquares.add(new BigDecimal(v).multiply(new BigDecimal(v)));
      }
      double sum = sumOf(values).toDouble();
      assertThat(sum).isEqualTo(exact.doubleValue());
      double m2 = ExactSum.m2(sumOf(values), squaresOf(values), count);
      // Exactly n*Q - S^2, rounded, then divided by n: the one rounding the sum makes.
      double expectedM2 =
          exactSquares
                  .multiply(BigDecimal.valueOf(count))
                  .subtract(exact.multiply(exact))
                  .doubleValue()
              / count;
      assertThat(m2).isCloseTo(Math.max(0, expectedM2), within(Math.abs(expectedM2) * 1e-15));
      Collections.shuffle(values, random);
      assertThat(sumOf(values).toDouble()).isEqualTo(sum);
      assertThat(ExactSum.m2(sumOf(values), squaresOf(values), count)).isEqualTo(m2);
    }
  }
}
