/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

/** Every case of {@link PointInTimeJoinIT} with the sort-only plan (nothing broadcast). */
class PointInTimeJoinWithoutBroadcastIT extends PointInTimeJoinIT {
  @Override
  TrainingSetOptions options() {
    return TrainingSetOptions.defaults().withBroadcastLimit(0).withIndexLimit(0);
  }
}
