/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

/**
 * Every case of {@link PointInTimeJoinIT} with the shuffled plan: no broadcast index, source rows
 * reduced by the broadcast entity pairs.
 */
class PointInTimeJoinWithoutIndexIT extends PointInTimeJoinIT {
  @Override
  TrainingSetOptions options() {
    return TrainingSetOptions.defaults().withIndexLimit(0);
  }
}
