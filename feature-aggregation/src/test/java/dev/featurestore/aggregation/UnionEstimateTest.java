/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.junit.jupiter.api.Test;

/**
 * The distinct count reads the union's composite estimate directly, without converting the union to
 * an HLL_4 sketch first (most of a lookup's sketch time): the same number, from list and set mode
 * to full HLL, for unions of many small tile sketches as a 7-day window folds them.
 */
class UnionEstimateTest {
  @Test
  void theUnionsEstimateEqualsItsResultsEstimate() {
    Random random = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      Union union = new Union(Tile.SKETCH_LG_K);
      int tiles = 1 + random.nextInt(200);
      int range = 1 + random.nextInt(50_000);
      for (int t = 0; t < tiles; t++) {
        HllSketch sketch = new HllSketch(Tile.SKETCH_LG_K);
        int values = random.nextInt(60);
        for (int v = 0; v < values; v++) {
          sketch.update((long) random.nextInt(range));
        }
        union.update(
            HllSketch.wrap(
                org.apache.datasketches.memory.Memory.wrap(sketch.toCompactByteArray())));
      }
      assertThat(Math.round(union.getCompositeEstimate()))
          .as("trial %d: %d tiles over %d values", trial, tiles, range)
          .isEqualTo(Math.round(union.getResult().getCompositeEstimate()));
    }
  }
}
