/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import dev.featurestore.onlinestore.writer.ViewWriter;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Runs on the executors: the rows {@link PartitionWriter} would write from one partition (one per
 * entity key, chosen by the same {@link LatestPerKey}), as internal rows of the projected schema
 * (copies: the statistics pass reads them as they are, with no conversion), so that the statistics
 * of a materialization are those of exactly what it writes.
 */
public final class LatestRows implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  private static final long serialVersionUID = 1L;

  private final String project;
  private final FeatureView view;
  private final List<JoinKey> joinKeys;

  /**
   * @param project the project, for the key and value codec
   * @param view the view
   * @param joinKeys the view's join keys, in key order
   */
  public LatestRows(String project, FeatureView view, List<JoinKey> joinKeys) {
    this.project = project;
    this.view = view;
    this.joinKeys = List.copyOf(joinKeys);
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    // Grace and "now" only matter for writing; encoding (the tie rule) does not use them.
    ViewWriter viewWriter = new ViewWriter(project, view, joinKeys, Duration.ZERO, 0);
    LatestPerKey latest = new LatestPerKey(rows, viewWriter, view, joinKeys, true);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return latest.hasNext();
      }

      @Override
      public InternalRow next() {
        return latest.next().row;
      }
    };
  }
}
