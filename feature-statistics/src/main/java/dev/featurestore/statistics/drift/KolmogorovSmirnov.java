/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * The two-sample Kolmogorov-Smirnov statistic of a number feature, {@code D = max over x of
 * |F_training(x) - F_current(x)|}, the largest gap between the two empirical distribution
 * functions, from the two sides' KLL sketches: a merge walk over their sorted views that evaluates
 * both distribution functions at every value either side holds. (DataSketches' own {@code
 * KolmogorovSmirnov.computeKSDelta} compares the two sides' cumulative weights at mismatched
 * positions and answers 0.5 for {1, 2} against {3, 4}, where D is 1, so it is not used.)
 *
 * <p>Why sketches and not sorted values: the exact statistic needs both columns sorted together, a
 * shuffle of every value; the sketches are built in the same one pass as the PSI counts, and only
 * they reach the driver. The price is a bounded error: a sketch holds every value exactly until it
 * has seen {@code k} of them ({@value SketchSize#K} here), and past that its ranks are off by at
 * most its normalized rank error (about 0.3% for this {@code k}, with 99% confidence), so the
 * statistic is off by at most the sum of the two sides' errors: {@link #maxError}. Small inputs
 * (tests, small training sets) get the exact statistic.
 */
final class KolmogorovSmirnov {
  private KolmogorovSmirnov() {}

  /** The statistic D of two non-empty sketches, in [0, 1]. */
  static double statistic(KllDoublesSketch training, KllDoublesSketch current) {
    if (training.isEmpty() || current.isEmpty()) {
      throw new IllegalArgumentException("Cannot compute a KS statistic of an empty sketch");
    }
    DoublesSortedView p = training.getSortedView();
    DoublesSortedView q = current.getSortedView();
    double[] pValues = p.getQuantiles();
    double[] qValues = q.getQuantiles();
    long[] pWeights = p.getCumulativeWeights(); // inclusive: weight of the values <= pValues[i]
    long[] qWeights = q.getCumulativeWeights();
    double pTotal = training.getN();
    double qTotal = current.getN();
    double statistic = 0;
    int i = 0;
    int j = 0;
    while (i < pValues.length || j < qValues.length) {
      double x =
          i == pValues.length
              ? qValues[j]
              : j == qValues.length ? pValues[i] : Math.min(pValues[i], qValues[j]);
      while (i < pValues.length && pValues[i] <= x) {
        i++;
      }
      while (j < qValues.length && qValues[j] <= x) {
        j++;
      }
      double pCdf = i == 0 ? 0 : pWeights[i - 1] / pTotal;
      double qCdf = j == 0 ? 0 : qWeights[j - 1] / qTotal;
      statistic = Math.max(statistic, Math.abs(pCdf - qCdf));
    }
    return statistic;
  }

  /** The largest error of {@link #statistic}: 0 when both sketches hold every value. */
  static double maxError(KllDoublesSketch training, KllDoublesSketch current) {
    return error(training) + error(current);
  }

  private static double error(KllDoublesSketch sketch) {
    return sketch.isEstimationMode() ? sketch.getNormalizedRankError(false) : 0;
  }
}
