/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static java.util.Objects.requireNonNull;

import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.materializer.KeyCheck.Totals;
import dev.featurestore.materializer.internal.LatestRows;
import dev.featurestore.materializer.internal.PartitionWriter;
import dev.featurestore.materializer.internal.TileMaterialization;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.onlinestore.OnlineExpiry;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.Checks;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.registry.store.Watermarks;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.statistics.SparkStatistics;
import dev.featurestore.statistics.StatisticsColumn;
import io.lettuce.core.RedisException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Materializes the latest feature values of online views from their Parquet sources into Redis
 * (layout: docs/online-store-layout.md). For each view: read the rows with an event timestamp in
 * [start, end], drop and count rows with a null join key, keep the latest row per entity key (event
 * timestamp, then created timestamp, then the greatest encoded value), compute the statistics of
 * those rows and evaluate the view's checks on them (a view whose checks fail writes nothing unless
 * {@link MaterializerOptions#allowFailedChecks}), and write them from the executors with the
 * newer-wins script. Nothing but counters and sketches reaches the driver.
 */
public final class Materializer {
  private final SparkSession spark;
  private final Definitions definitions;
  private final RedisConfig target;
  private final Function<String, String> sourceLocation;
  private final MaterializerOptions options;
  private final PrintStream progress;

  /**
   * @param sourceLocation turns a source's {@code path} as written into a location Spark reads
   *     (e.g. {@code p -> repo.resolve(p).toString()})
   * @param progress where progress lines go; null for none
   */
  public Materializer(
      SparkSession spark,
      Definitions definitions,
      RedisConfig redis,
      Function<String, String> sourceLocation,
      MaterializerOptions options,
      PrintStream progress) {
    this.spark = requireNonNull(spark, "spark is null");
    this.definitions = requireNonNull(definitions, "definitions is null");
    this.target = requireNonNull(redis, "redis is null");
    this.sourceLocation = requireNonNull(sourceLocation, "sourceLocation is null");
    this.options = requireNonNull(options, "options is null");
    this.progress = progress;
  }

  /**
   * Writes the latest values in [start, end] of the named views (all online views when empty).
   *
   * @throws FeatureStoreException NOT_FOUND for an unknown view, INVALID_ARGUMENT for an offline
   *     view or start after end, INVALID_DATA for a bad source, UNAVAILABLE when Redis is
   *     unreachable or lost (naming its address)
   */
  public List<ViewSummary> materialize(List<String> viewNames, Instant start, Instant end) {
    requireNonNull(start, "start is null");
    if (start.isAfter(end)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT, "Cannot materialize: start %s is after end %s", start, end);
    }
    List<FeatureView> views = select(viewNames);
    RedisConnections.check(target);
    List<ViewSummary> summaries = new ArrayList<>();
    for (FeatureView view : views) {
      summaries.add(materializeView(view, Optional.of(start), end));
    }
    return summaries;
  }

  /**
   * Writes each view from its watermark (first time: {@code end - ttl}, or all data without a TTL;
   * an aggregated view from {@code floor_H(end) - longest window}) to {@code end}, and moves its
   * watermark to {@code end} once the whole view is written. A view whose watermark is already past
   * {@code end} is skipped. An aggregated view whose tiles were last written under another layout
   * ({@link TileLayout#fingerprint}: an aggregation added or changed) starts as the first time, so
   * every tile of its longest window gets what the aggregations need now.
   */
  public List<ViewSummary> materializeIncremental(
      List<String> viewNames, Instant end, Watermarks watermarks) {
    List<FeatureView> views = select(viewNames);
    RedisConnections.check(target);
    List<ViewSummary> summaries = new ArrayList<>();
    for (FeatureView view : views) {
      Optional<Instant> watermark = watermarks.read(view.name());
      Optional<String> layoutKey =
          view.isAggregated() ? Optional.of(layoutWatermark(view)) : Optional.empty();
      if (watermark.isPresent()
          && layoutKey.isPresent()
          && watermarks.read(layoutKey.get()).isEmpty()) {
        if (progress != null) {
          progress.printf(
              "%s: its tiles were written for other aggregations; rebuilding its longest window%n",
              view.name());
        }
        watermark = Optional.empty();
      }
      Optional<Instant> start = watermark.isPresent() ? watermark : view.maxAge().map(end::minus);
      if (start.isPresent() && start.get().isAfter(end)) {
        summaries.add(new ViewSummary(view.name(), start, end, 0, 0, 0, 0, 0, Duration.ZERO));
        continue;
      }
      ViewSummary summary = materializeView(view, start, end);
      if (!summary.heldBack()) {
        // A view whose checks failed wrote nothing: its next run starts from the same watermark.
        watermarks.write(view.name(), end);
        layoutKey.ifPresent(key -> watermarks.write(key, end));
      }
      summaries.add(summary);
    }
    return summaries;
  }

  /**
   * The watermark recording the tile layout an aggregated view was last written with, stored next
   * to the view's own: {@code <view>__tiles_<fingerprint>}. A view that happened to have that name
   * would only make a run rebuild a window.
   */
  static String layoutWatermark(FeatureView view) {
    return view.name() + "__tiles_" + TileLayout.of(view).fingerprint();
  }

  /** The views to materialize: the named ones, checked, or every online view. */
  List<FeatureView> select(List<String> viewNames) {
    if (viewNames.isEmpty()) {
      List<FeatureView> online =
          definitions.featureViews().stream().filter(FeatureView::online).toList();
      if (online.isEmpty()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot materialize: project '%s' has no online feature view (set online: true on"
                + " one)",
            definitions.project());
      }
      return online;
    }
    List<FeatureView> views = new ArrayList<>();
    for (String name : new LinkedHashSet<>(viewNames)) {
      FeatureView view =
          definitions
              .featureView(name)
              .orElseThrow(
                  () ->
                      FeatureStoreException.of(
                          ErrorCode.NOT_FOUND,
                          "Cannot materialize feature view '%s': no such view in project '%s'%s",
                          name,
                          definitions.project(),
                          Names.didYouMean(
                              name,
                              definitions.featureViews().stream()
                                  .map(FeatureView::name)
                                  .toList())));
      if (!view.online()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot materialize feature view '%s': it is not online (online: false); set online:"
                + " true in its definition and apply, or leave it out of --views",
            name);
      }
      views.add(view);
    }
    return views;
  }

  private ViewSummary materializeView(FeatureView view, Optional<Instant> start, Instant end) {
    long startNanos = System.nanoTime();
    ParquetSource source = definitions.sourceOf(view);
    List<JoinKey> joinKeys = definitions.joinKeysOf(view);
    String location = sourceLocation.apply(source.path());
    if (view.isAggregated()) {
      return materializeTiles(view, source, joinKeys, location, start, end, startNanos);
    }
    ViewRows viewRows = ViewRows.read(spark, view, source, joinKeys, location, start, end);

    Totals totals;
    try {
      totals =
          options.dedupe() == MaterializerOptions.Dedupe.AUTO
              ? KeyCheck.totalsAndRepeats(viewRows)
              : KeyCheck.totals(viewRows);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw failure(view, e);
    }
    long totalRows = totals.rows();
    long nullKeyRows = totals.nullKeyRows();
    long rowsToWrite = totalRows - nullKeyRows;
    boolean keysRepeat = totals.keysMayRepeat();

    PartitionWriter.Counters counters =
        new PartitionWriter.Counters(
            spark.sparkContext().longAccumulator(view.name() + ".rows-read"),
            spark.sparkContext().longAccumulator(view.name() + ".keys-written"),
            spark.sparkContext().longAccumulator(view.name() + ".keys-not-newer"),
            spark.sparkContext().longAccumulator(view.name() + ".expired-skipped"));
    Dataset<Row> rows = viewRows.rows().filter(viewRows.keysPresent());
    if (keysRepeat && rowsToWrite > 0) {
      rows = latestPerKey(viewRows, rows, rowsToWrite);
    }
    // else: every key has one row in the window, so the rows are written as read (no shuffle,
    // no sort); the writer sees each key once.
    JavaRDD<InternalRow> toWrite = rows.queryExecution().toRdd().toJavaRDD();
    Optional<ViewStatistics> statistics = Optional.empty();
    List<CheckResult> checks = List.of();
    boolean heldBack = false;
    if (options.statistics() || view.hasChecks()) {
      // The rows to write are chosen once (one per key, by the writer's own rule) and kept
      // (serialized, spilling to disk): the statistics job computes and caches them, the checks
      // run on its result, and the write job reads the cache, with no second shuffle read, sort
      // or choice. Measured by benchmarks/quality.sh.
      JavaRDD<InternalRow> chosen =
          toWrite
              .mapPartitions(new LatestRows(definitions.project(), view, joinKeys))
              .persist(StorageLevel.MEMORY_AND_DISK_SER());
      try {
        statistics = Optional.of(statistics(view, rows.schema(), chosen, start, end));
        checks = Checks.evaluate(view, statistics.get());
        heldBack = !Checks.failed(checks).isEmpty() && !options.allowFailedChecks();
        if (statistics.get().rows() > 0 && !heldBack) {
          write(view, joinKeys, chosen, statistics.get().rows(), counters);
        }
      } finally {
        chosen.unpersist(false);
      }
    } else if (rowsToWrite > 0) {
      write(view, joinKeys, toWrite, rowsToWrite, counters);
    }
    return new ViewSummary(
        view.name(),
        start,
        end,
        totalRows,
        counters.keysWritten().value(),
        counters.keysNotNewer().value(),
        nullKeyRows,
        counters.expiredSkipped().value(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        statistics,
        checks,
        heldBack);
  }

  /**
   * An aggregated view: its tiles (no statistics or checks: its values are computed at lookup
   * time). The summary counts tile fields as keys written and not newer.
   */
  private ViewSummary materializeTiles(
      FeatureView view,
      ParquetSource source,
      List<JoinKey> joinKeys,
      String location,
      Optional<Instant> start,
      Instant end,
      long startNanos) {
    TileMaterialization.Counters counters =
        new TileMaterialization.Counters(
            spark.sparkContext().longAccumulator(view.name() + ".rows-read"),
            spark.sparkContext().longAccumulator(view.name() + ".tiles-written"),
            spark.sparkContext().longAccumulator(view.name() + ".tiles-not-newer"));
    long nullKeys;
    try {
      nullKeys =
          TileMaterialization.run(
              spark,
              definitions.project(),
              view,
              source,
              joinKeys,
              location,
              target,
              new PartitionWriter.Tuning(
                  options.scriptBatchSize(), options.flushEvery(), options.maxInFlight()),
              start,
              end,
              counters);
    } catch (FeatureStoreException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw failure(view, e);
    }
    // The window read, as the summary prints it: a first incremental run has no start, but reads
    // from floor_H(end) - the longest window.
    Instant firstRead =
        Instant.EPOCH.plus(
            TileMaterialization.firstMicrosRead(TileLayout.of(view), start, end),
            ChronoUnit.MICROS);
    return new ViewSummary(
        view.name(),
        Optional.of(firstRead),
        end,
        counters.rows().value() + nullKeys,
        counters.written().value(),
        counters.notNewer().value(),
        nullKeys,
        0,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /** The statistics of exactly the rows written: one per key, chosen as the writer chooses. */
  private ViewStatistics statistics(
      FeatureView view,
      StructType schema,
      JavaRDD<InternalRow> chosen,
      Optional<Instant> start,
      Instant end) {
    Map<String, Set<String>> allowed = Checks.allowedSets(view);
    List<StatisticsColumn> columns = new ArrayList<>();
    for (int i = 0; i < view.features().size(); i++) {
      Feature feature = view.features().get(i);
      columns.add(
          new StatisticsColumn(
              feature.name(),
              feature.type(),
              "f" + i,
              Optional.ofNullable(allowed.get(feature.name()))));
    }
    spark
        .sparkContext()
        .setJobDescription("statistics " + definitions.project() + "/" + view.name());
    try {
      return SparkStatistics.compute(chosen, schema, columns, view.name(), start, end);
    } catch (FeatureStoreException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw failure(view, e);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  private void write(
      FeatureView view,
      List<JoinKey> joinKeys,
      JavaRDD<InternalRow> rows,
      long rowsToWrite,
      PartitionWriter.Counters counters) {
    Duration grace = options.expiryGrace().orElse(OnlineExpiry.defaultGrace(view));
    PartitionWriter writer =
        new PartitionWriter(
            definitions.project(),
            view,
            joinKeys,
            target,
            new PartitionWriter.Tuning(
                options.scriptBatchSize(), options.flushEvery(), options.maxInFlight()),
            grace,
            System.currentTimeMillis(),
            counters);
    spark
        .sparkContext()
        .setJobDescription("materialize " + definitions.project() + "/" + view.name());
    try (Progress ignored =
        Progress.start(progress, view.name(), rowsToWrite, counters, options.progressInterval())) {
      rows.foreachPartition(writer);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw failure(view, e);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /**
   * Repartitions the rows by key and sorts each partition by key, then newest first (event, then
   * created timestamp), so the writer keeps the first row of each key.
   */
  private Dataset<Row> latestPerKey(ViewRows viewRows, Dataset<Row> rows, long rowsToWrite) {
    int partitions =
        (int)
            Math.max(
                spark.sparkContext().defaultParallelism(),
                Math.min(
                    10_000,
                    (rowsToWrite + options.rowsPerPartition() - 1) / options.rowsPerPartition()));
    List<Column> order = new ArrayList<>(viewRows.keyColumns());
    order.add(org.apache.spark.sql.functions.col("event_micros").desc());
    order.add(org.apache.spark.sql.functions.col("created_micros").desc_nulls_last());
    return rows.repartition(partitions, viewRows.keyColumns().toArray(Column[]::new))
        .sortWithinPartitions(order.toArray(Column[]::new));
  }

  /** Finds the executor's FeatureStoreException in a Spark failure and names the view. */
  private FeatureStoreException failure(FeatureView view, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FeatureStoreException cause) {
        return FeatureStoreException.of(
            cause.errorCode(),
            e,
            "Cannot materialize feature view '%s': %s",
            view.name(),
            cause.getMessage());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    Optional<FeatureStoreException> unreadable =
        SourceReader.unreadableFile("materialize feature view '" + view.name() + "'", e);
    if (unreadable.isPresent()) {
      return unreadable.get();
    }
    // No typed error survived (e.g. a Lettuce failure outside the writer's own handling): a Redis
    // client failure is Redis being unavailable, anything else a bug.
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof RedisException redis) {
        FeatureStoreException failure = RedisConnections.writeFailure(target, redis);
        return new FeatureStoreException(
            failure.errorCode(),
            "Cannot materialize feature view '" + view.name() + "': " + failure.getMessage(),
            e);
      }
    }
    return new FeatureStoreException(
        ErrorCode.INTERNAL_ERROR,
        "Cannot materialize feature view '"
            + view.name()
            + "' into "
            + target.describe()
            + ": "
            + SourceReader.firstLine(e),
        e);
  }
}
