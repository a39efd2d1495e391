/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.online.snapshot.ViewReader;
import dev.featurestore.registry.definition.Feature;
import java.util.List;

/**
 * A validated request: what to read from Redis and how to shape the answer.
 *
 * @param snapshot the registry version the whole request is served with
 * @param rows the number of entity rows
 * @param joinKeyNames the join key columns, in request order
 * @param joinKeyValues their values, converted to their key types, per column
 * @param ignoredColumns the number of columns of the request's entities that are no join key of the
 *     views read (ignored, as Feast's server ignores them)
 * @param views the views to read, each once
 * @param keys the Redis keys of the plain views (values, read with MGET), view-major: the key of
 *     view v and row r at {@code firstKeys.get(v) + r}
 * @param hashKeys the Redis keys of the aggregated views (hashes of tiles, read with HGETALL),
 *     view-major as {@code keys}
 * @param firstKeys per view, the index of its first row's key in {@code keys} (a plain view) or
 *     {@code hashKeys} (an aggregated view)
 * @param outputs the feature columns, in the order asked
 */
record LookupPlan(
    ServingSnapshot snapshot,
    int rows,
    List<String> joinKeyNames,
    List<List<Object>> joinKeyValues,
    int ignoredColumns,
    List<ViewReader> views,
    List<byte[]> keys,
    List<byte[]> hashKeys,
    List<Integer> firstKeys,
    List<Output> outputs) {

  /**
   * One output feature column.
   *
   * @param view index into {@link #views()}
   * @param featureIndex index of the feature in its view's current features
   * @param name the output column name
   */
  record Output(int view, int featureIndex, Feature feature, String name) {}
}
