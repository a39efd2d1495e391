/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import dev.featurestore.onlinestore.writer.NewerWinsWriter;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.onlinestore.writer.ViewWriter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import io.lettuce.core.RedisException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs on the executors: takes one partition of a view's rows, sorted by entity key and then newest
 * first, keeps the latest row per key ({@link LatestPerKey}), and writes it with the shared
 * online-store writer ({@link ViewWriter}: the registry's codec and expiry, the newer-wins script)
 * over the JVM's shared connection.
 *
 * <p>Rows are Spark's internal rows (no conversion to {@code Row}, no boxing of feature values),
 * laid out as {@code ViewRows} projects them: the join keys (int64, string or binary), the event
 * timestamp and the created timestamp as epoch microseconds (the created one may be null), then the
 * features in view order, each cast to the Spark type of its value type.
 */
public final class PartitionWriter implements VoidFunction<Iterator<InternalRow>> {
  private static final long serialVersionUID = 1L;

  /** Counters of one view's run, read by the driver. */
  public record Counters(
      LongAccumulator rowsRead,
      LongAccumulator keysWritten,
      LongAccumulator keysNotNewer,
      LongAccumulator expiredSkipped)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Write tuning (see {@code MaterializerOptions}). */
  public record Tuning(int scriptBatchSize, int flushEvery, int maxInFlight)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final String project;
  private final FeatureView view;
  private final List<JoinKey> joinKeys;
  private final RedisConfig target;
  private final Tuning tuning;
  private final long graceMillis;
  private final long nowMillis;
  private final Counters counters;

  /**
   * @param project the project, for the key and value codec
   * @param view the view (a serializable definition record, shipped to the executors as it is)
   * @param joinKeys the view's join keys, in key order
   * @param target the online store
   */
  public PartitionWriter(
      String project,
      FeatureView view,
      List<JoinKey> joinKeys,
      RedisConfig target,
      Tuning tuning,
      Duration grace,
      long nowMillis,
      Counters counters) {
    this.project = project;
    this.view = view;
    this.joinKeys = List.copyOf(joinKeys);
    this.target = target;
    this.tuning = tuning;
    this.graceMillis = grace.toMillis();
    this.nowMillis = nowMillis;
    this.counters = counters;
  }

  @Override
  public void call(Iterator<InternalRow> rows) throws Exception {
    if (!rows.hasNext()) {
      return;
    }
    ViewWriter viewWriter =
        new ViewWriter(project, view, joinKeys, Duration.ofMillis(graceMillis), nowMillis);
    RedisConnections.Shared redis = RedisConnections.get(target);
    long counted = 0;
    long expired = 0;
    LatestPerKey latest = new LatestPerKey(rows, viewWriter, view, joinKeys, false);
    NewerWinsWriter writer =
        new NewerWinsWriter(
            redis, tuning.scriptBatchSize(), tuning.flushEvery(), tuning.maxInFlight());
    try {
      while (latest.hasNext()) {
        LatestPerKey.Latest best = latest.next();
        expired += viewWriter.write(writer, best.key, best.value, best.event) ? 0 : 1;
        if (latest.read() - counted > 0x3FFF) {
          counters.rowsRead().add(latest.read() - counted);
          counted = latest.read();
        }
      }
      writer.finish();
    } catch (FeatureStoreException e) {
      if (e.errorCode() == ErrorCode.UNAVAILABLE) {
        RedisConnections.evict(target);
      }
      throw e;
    } catch (RedisException e) {
      RedisConnections.evict(target);
      throw RedisConnections.writeFailure(target, e);
    } catch (IllegalStateException e) {
      if (redis.connection().isOpen()) {
        throw e;
      }
      // Another task of this JVM lost Redis and closed the shared connection and its client while
      // this one was still writing (Lettuce then fails with "cannot be started once stopped").
      RedisException lost =
          new RedisException("the connection was closed after another task lost Redis");
      lost.addSuppressed(e);
      throw RedisConnections.writeFailure(target, lost);
    } finally {
      counters.rowsRead().add(latest.read() - counted);
      counters.expiredSkipped().add(expired);
      counters.keysWritten().add(writer.written());
      counters.keysNotNewer().add(writer.notNewer());
      writer.close();
    }
  }
}
