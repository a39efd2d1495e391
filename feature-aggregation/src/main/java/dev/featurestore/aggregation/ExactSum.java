/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import java.math.BigInteger;

/**
 * An exact sum of finite numbers (doubles or longs) or of their squares, kept as a binary
 * fixed-point number {@code unscaled * 2^exponent}: the same value whatever order the numbers came
 * in, so a tile's rounded sum and M2 are functions of its values only. Binary, not {@link
 * java.math.BigDecimal}: a double is {@code m * 2^e} exactly, and rounding back is a shift instead
 * of a decimal conversion. Mutable; not thread-safe.
 */
final class ExactSum {
  private BigInteger unscaled = BigInteger.ZERO;
  private int exponent;

  /** Adds a finite double. */
  void add(double value) {
    add(mantissa(value), exponent(value), false);
  }

  /** Adds the square of a finite double, exactly. */
  void addSquare(double value) {
    add(mantissa(value), exponent(value), true);
  }

  /** Adds a long. */
  void add(long value) {
    add(value, 0, false);
  }

  /** Adds the square of a long, exactly. */
  void addSquare(long value) {
    add(value, 0, true);
  }

  private void add(long mantissa, int exp, boolean square) {
    if (mantissa == 0) {
      return;
    }
    int zeros = Long.numberOfTrailingZeros(mantissa);
    BigInteger m = BigInteger.valueOf(mantissa >> zeros);
    exp += zeros;
    if (square) {
      m = m.multiply(m);
      exp *= 2;
    }
    if (unscaled.signum() == 0) {
      unscaled = m;
      exponent = exp;
    } else if (exp >= exponent) {
      unscaled = unscaled.add(m.shiftLeft(exp - exponent));
    } else {
      unscaled = unscaled.shiftLeft(exponent - exp).add(m);
      exponent = exp;
    }
  }

  /** The sum rounded to the nearest double (an infinity beyond the double range). */
  double toDouble() {
    return toDouble(unscaled, exponent);
  }

  /**
   * The sum of squared differences from the mean, {@code Q - S^2 / n} for the sum {@code S} and the
   * sum of squares {@code Q} of {@code count} values: computed exactly, then rounded.
   */
  static double m2(ExactSum sum, ExactSum squares, long count) {
    if (count == 0) {
      return 0.0;
    }
    // n*Q - S^2 on a common exponent, then divided by n.
    BigInteger s2 = sum.unscaled.multiply(sum.unscaled);
    int s2Exponent = 2 * sum.exponent;
    BigInteger nq = squares.unscaled.multiply(BigInteger.valueOf(count));
    int common = Math.min(s2Exponent, squares.exponent);
    BigInteger numerator =
        nq.shiftLeft(squares.exponent - common).subtract(s2.shiftLeft(s2Exponent - common));
    return Math.max(0.0, toDouble(numerator, common) / count);
  }

  private static double toDouble(BigInteger value, int exponent) {
    if (value.signum() == 0) {
      return 0.0;
    }
    BigInteger magnitude = value.abs();
    // The top 63 bits and a sticky bit for the rest: the long-to-double conversion then rounds
    // to nearest as the exact value would.
    int shift = Math.max(0, magnitude.bitLength() - 63);
    long top = magnitude.shiftRight(shift).longValue();
    if (shift > 0 && magnitude.getLowestSetBit() < shift) {
      top |= 1;
    }
    double rounded = Math.scalb((double) top, exponent + shift);
    return value.signum() < 0 ? -rounded : rounded;
  }

  private static long mantissa(double value) {
    long bits = Double.doubleToRawLongBits(value);
    long m = bits & 0x000F_FFFF_FFFF_FFFFL;
    if (((bits >>> 52) & 0x7FF) != 0) {
      m |= 1L << 52;
    }
    return bits < 0 ? -m : m;
  }

  private static int exponent(double value) {
    int biased = (int) ((Double.doubleToRawLongBits(value) >>> 52) & 0x7FF);
    return (biased == 0 ? 1 : biased) - 1075;
  }
}
