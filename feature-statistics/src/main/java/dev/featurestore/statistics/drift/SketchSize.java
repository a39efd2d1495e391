/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import org.apache.datasketches.kll.KllDoublesSketch;

/** The size of the drift sketches: one place, so that both sides of a comparison agree. */
final class SketchSize {
  /**
   * KLL's accuracy parameter: normalized rank error about 0.3% (99% confidence); a sketch keeps at
   * most about 3k values (24 KB).
   */
  static final int K = 1000;

  /** The frequent-items map of a category feature: counts exactly up to 768 distinct values. */
  static final int ITEMS_MAP = 1024;

  private SketchSize() {}

  static KllDoublesSketch newKll() {
    return KllDoublesSketch.newHeapInstance(K);
  }
}
