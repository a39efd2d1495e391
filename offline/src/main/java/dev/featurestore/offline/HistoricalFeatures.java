/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;

import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.offline.internal.AsOfJoin;
import dev.featurestore.offline.internal.AsOfJoin.PreparedView;
import dev.featurestore.offline.internal.EntityScan;
import dev.featurestore.offline.internal.EntityTimes;
import dev.featurestore.offline.internal.IndexedAsOfJoin;
import dev.featurestore.offline.internal.RowEstimate;
import dev.featurestore.offline.internal.SourceReduce;
import dev.featurestore.offline.internal.WindowJoin;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ResolvedFeature;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.spark.SourceRows;
import dev.featurestore.spark.SparkTypes;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Point-in-time-correct training sets: joins an entity dataframe with the feature values that were
 * current at each row's timestamp.
 *
 * <pre>{@code
 * HistoricalFeatures features = HistoricalFeatures.of(spark, FeatureRepo.open(Path.of("repo")));
 * Dataset<Row> training = features.historicalFeatures(
 *     spark.read().parquet("entities.parquet"),
 *     List.of("driver_stats:conv_rate", "customer_profile:*"),
 *     TrainingSetOptions.defaults());
 * }</pre>
 *
 * <p>The input is validated and the source schemas are checked before anything heavy runs. One job
 * reads the entity rows eagerly ({@link EntityScan}): the range of their timestamps, which is
 * pushed down to the Parquet scans as a time range, and, per group of views on the same keys, the
 * distinct (keys, timestamp) pairs when there are at most {@link
 * TrainingSetOptions#broadcastLimit()} of them, which are broadcast so that source rows no entity
 * row can pick are dropped before the shuffle. Groups small enough to index ({@link
 * TrainingSetOptions#indexLimit()}) are read by the call too, one job per group, into indexes that
 * are broadcast. The rest of the returned dataset is lazy: the other feature data is read when it
 * runs, and the training set itself is never collected to the driver. See docs/offline.md for the
 * contract.
 */
public final class HistoricalFeatures {
  private static final String INTERNAL_PREFIX = "__fs_";
  private static final int REDUCE_MIN_ROWS_PER_ENTITY_ROW = 4;

  private final SparkSession spark;
  private final Definitions definitions;
  private final Function<String, URI> pathResolver;

  private HistoricalFeatures(
      SparkSession spark, Definitions definitions, Function<String, URI> pathResolver) {
    this.spark = requireNonNull(spark, "spark is null");
    this.definitions = requireNonNull(definitions, "definitions is null");
    this.pathResolver = requireNonNull(pathResolver, "pathResolver is null");
  }

  /**
   * Uses these definitions; {@code pathResolver} turns a source path as written into a location
   * (e.g. {@code repo::resolve}).
   */
  public static HistoricalFeatures of(
      SparkSession spark, Definitions definitions, Function<String, URI> pathResolver) {
    return new HistoricalFeatures(spark, definitions, pathResolver);
  }

  /** Uses the latest applied registry version of a repo. */
  public static HistoricalFeatures of(SparkSession spark, FeatureRepo repo) {
    Definitions applied = repo.latestApplied("build a training set").definitions();
    return new HistoricalFeatures(spark, applied, repo::resolve);
  }

  /** The definitions this instance reads. */
  public Definitions definitions() {
    return definitions;
  }

  /** Returns the location of a view's source. */
  public URI sourceLocation(FeatureView view) {
    return pathResolver.apply(definitions.sourceOf(view).path());
  }

  /** Joins the features named by references ({@code view:feature}, {@code view:*}). */
  public Dataset<Row> historicalFeatures(
      Dataset<Row> entities, List<String> featureReferences, TrainingSetOptions options) {
    return join(entities, definitions.resolveReferences(featureReferences), options);
  }

  /** Joins every feature of a feature service. */
  public Dataset<Row> historicalFeaturesForService(
      Dataset<Row> entities, String featureService, TrainingSetOptions options) {
    return join(entities, definitions.resolveService(featureService), options);
  }

  /** Joins resolved features. */
  public Dataset<Row> join(
      Dataset<Row> entities, List<ResolvedFeature> features, TrainingSetOptions options) {
    Plan plan = plan(entities, features, options);
    StructType schema = plan.schema();
    List<String> outputNames = plan.outputNames();
    Map<FeatureView, List<Integer>> byView = plan.byView();
    EntityScan.Result scan = plan.scan();
    Map<List<String>, List<FeatureView>> groups = plan.groups();
    Map<List<String>, List<FeatureView>> aggregatedGroups = plan.aggregatedGroups();
    Dataset<Row> result = entities;
    // Shuffled groups first, so that their shuffles carry no features of the indexed groups.
    List<Map.Entry<List<String>, List<FeatureView>>> ordered = new ArrayList<>();
    for (boolean indexed : new boolean[] {false, true}) {
      for (Map.Entry<List<String>, List<FeatureView>> group : groups.entrySet()) {
        if (plan.indexed().contains(group.getKey()) == indexed) {
          ordered.add(group);
        }
      }
    }
    for (Map.Entry<List<String>, List<FeatureView>> group : ordered) {
      Optional<EntityTimes> times = plan.times().getOrDefault(group.getKey(), Optional.empty());
      List<PreparedView> prepared = new ArrayList<>();
      List<String> internalNames = new ArrayList<>();
      for (FeatureView view : group.getValue()) {
        for (int i : byView.get(view)) {
          internalNames.add(INTERNAL_PREFIX + i);
        }
        prepared.add(plan.prepared().get(view));
      }
      if (times.isPresent()) {
        Broadcast<EntityTimes> broadcast =
            JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(times.get());
        int keyCount = group.getKey().size();
        prepared.replaceAll(view -> SourceReduce.reduce(view, broadcast, keyCount));
      }
      if (plan.indexed().contains(group.getKey())) {
        result =
            IndexedAsOfJoin.join(
                result, group.getKey(), options.timestampColumn(), prepared, internalNames);
        continue;
      }
      long maxTtl = prepared.stream().mapToLong(PreparedView::ttlMicros).max().orElse(0);
      long bucketBase = scan.minMicros() - maxTtl;
      result =
          AsOfJoin.join(
              result,
              group.getKey(),
              options.timestampColumn(),
              prepared,
              internalNames,
              bucketBase,
              scan.maxMicros());
    }
    for (Map.Entry<List<String>, List<FeatureView>> group : aggregatedGroups.entrySet()) {
      result = joinWindows(result, group.getKey(), group.getValue(), plan, features, options);
    }

    List<Column> output = new ArrayList<>();
    for (String name : schema.fieldNames()) {
      output.add(col(AsOfJoin.quote(name)));
    }
    for (int i = 0; i < features.size(); i++) {
      output.add(col(INTERNAL_PREFIX + i).as(outputNames.get(i)));
    }
    return result.select(output.toArray(Column[]::new));
  }

  /**
   * Joins aggregated views on the same entity columns: their events and the entity rows in one
   * shuffle and sort, then each key's tiles streamed past its entity rows (docs/offline.md,
   * "Aggregated views").
   */
  private static Dataset<Row> joinWindows(
      Dataset<Row> entities,
      List<String> keyColumns,
      List<FeatureView> views,
      Plan plan,
      List<ResolvedFeature> features,
      TrainingSetOptions options) {
    List<WindowJoin.View> windowViews = new ArrayList<>();
    List<String> internalNames = new ArrayList<>();
    long reach = 0;
    for (FeatureView view : views) {
      TileLayout layout = TileLayout.of(view);
      List<String> names = layout.aggregations().stream().map(a -> a.name()).toList();
      List<Integer> indexes = plan.byView().get(view);
      int[] requested = new int[indexes.size()];
      for (int j = 0; j < requested.length; j++) {
        requested[j] = names.indexOf(features.get(indexes.get(j)).feature().name());
        internalNames.add(INTERNAL_PREFIX + indexes.get(j));
      }
      windowViews.add(new WindowJoin.View(plan.prepared().get(view).rows(), layout, requested));
      reach = Math.max(reach, layout.longestWindowMicros() + layout.intervalMicros());
    }
    long bucketBase = plan.scan().minMicros() - reach;
    return WindowJoin.join(
        entities, keyColumns, options.timestampColumn(), windowViews, internalNames, bucketBase);
  }

  /**
   * The source rows each requested view's join reads, in view order: projected to the columns it
   * needs and filtered to the entity rows' time range, which Spark pushes down to the Parquet
   * scans. (The joined result's own plan shows them as RDD scans.)
   */
  List<Dataset<Row>> sourceScans(
      Dataset<Row> entities, List<String> featureReferences, TrainingSetOptions options) {
    return plan(entities, definitions.resolveReferences(featureReferences), options)
        .prepared()
        .values()
        .stream()
        .map(PreparedView::rows)
        .toList();
  }

  /** The validated request and each view's prepared source rows. */
  private record Plan(
      StructType schema,
      List<String> outputNames,
      Map<FeatureView, List<Integer>> byView,
      Map<FeatureView, List<KeyColumn>> keys,
      Map<List<String>, List<FeatureView>> groups,
      Map<List<String>, List<FeatureView>> aggregatedGroups,
      EntityScan.Result scan,
      Map<List<String>, Optional<EntityTimes>> times,
      Map<FeatureView, PreparedView> prepared,
      Set<List<String>> indexed) {}

  private Plan plan(
      Dataset<Row> entities, List<ResolvedFeature> features, TrainingSetOptions options) {
    requireNonNull(entities, "entities is null");
    requireNonNull(options, "options is null");
    if (features.isEmpty()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT, "Cannot build a training set: no features requested");
    }
    StructType schema = entities.schema();
    checkTimestampColumn(schema, options.timestampColumn());
    List<String> outputNames = outputNames(schema, features, options.fullFeatureNames());
    Map<String, String> keyToColumn = keyToColumn(schema, options.joinKeyMap());

    LinkedHashMap<FeatureView, List<Integer>> byView = new LinkedHashMap<>();
    for (int i = 0; i < features.size(); i++) {
      byView.computeIfAbsent(features.get(i).view(), v -> new ArrayList<>()).add(i);
    }
    Map<FeatureView, List<KeyColumn>> keys = new LinkedHashMap<>();
    Map<FeatureView, List<Feature>> featuresOf = new LinkedHashMap<>();
    Map<FeatureView, SourceRows> sources = new LinkedHashMap<>();
    for (FeatureView view : byView.keySet()) {
      keys.put(view, keyColumns(schema, view, keyToColumn));
      List<Feature> viewFeatures =
          byView.get(view).stream().map(i -> features.get(i).feature()).toList();
      featuresOf.put(view, viewFeatures);
      String action = "join feature view '" + view.name() + "'";
      sources.put(
          view,
          view.isAggregated()
              ? SourceReader.read(
                  spark,
                  action,
                  definitions.sourceOf(view),
                  sourceLocation(view).toString(),
                  WindowJoin.sourceUses(
                      definitions.sourceOf(view),
                      view,
                      definitions.joinKeysOf(view),
                      TileLayout.of(view)))
              : SourceReader.read(
                  spark,
                  action,
                  view,
                  definitions.sourceOf(view),
                  sourceLocation(view).toString(),
                  definitions.joinKeysOf(view),
                  viewFeatures));
    }

    // Views whose keys come from the same entity columns share one shuffle and sort.
    Map<List<String>, List<FeatureView>> groups = new LinkedHashMap<>();
    Map<List<String>, List<FeatureView>> aggregatedGroups = new LinkedHashMap<>();
    for (FeatureView view : byView.keySet()) {
      List<String> columns = keys.get(view).stream().map(KeyColumn::column).toList();
      (view.isAggregated() ? aggregatedGroups : groups)
          .computeIfAbsent(columns, c -> new ArrayList<>())
          .add(view);
    }
    Map<FeatureView, OptionalLong> viewRows = new HashMap<>();
    Map<List<String>, OptionalLong> sourceRows = new HashMap<>();
    for (Map.Entry<List<String>, List<FeatureView>> group : groups.entrySet()) {
      long rows = 0;
      boolean known = true;
      for (FeatureView view : group.getValue()) {
        OptionalLong estimate =
            known ? RowEstimate.of(sources.get(view).rows()) : OptionalLong.empty();
        viewRows.put(view, estimate);
        known &= estimate.isPresent();
        rows += estimate.orElse(0);
      }
      sourceRows.put(group.getKey(), known ? OptionalLong.of(rows) : OptionalLong.empty());
    }
    // Groups small enough to index as they are need no entity pairs.
    Set<List<String>> indexed = new HashSet<>();
    for (List<String> group : groups.keySet()) {
      OptionalLong rows = sourceRows.get(group);
      if (rows.isPresent() && rows.getAsLong() <= options.indexLimit()) {
        indexed.add(group);
      }
    }
    List<List<String>> reduced = reducedGroups(entities, groups, sourceRows, indexed, options);
    EntityScan.Result scan =
        EntityScan.scan(entities, reduced, options.timestampColumn(), options.broadcastLimit());
    Map<List<String>, Optional<EntityTimes>> times = new HashMap<>();
    for (int g = 0; g < reduced.size(); g++) {
      times.put(reduced.get(g), scan.times().get(g));
    }
    Map<FeatureView, PreparedView> prepared = new LinkedHashMap<>();
    for (FeatureView view : byView.keySet()) {
      prepared.put(
          view, prepare(view, sources.get(view), keys.get(view), featuresOf.get(view), scan));
    }
    // A reduced group keeps at most one row per entity pair and view: index it when that is few.
    for (Map.Entry<List<String>, List<FeatureView>> group : groups.entrySet()) {
      Optional<EntityTimes> pairs = times.getOrDefault(group.getKey(), Optional.empty());
      if (pairs.isPresent()
          && (long) pairs.get().pairs() * group.getValue().size() <= options.indexLimit()) {
        indexed.add(group.getKey());
      }
    }
    // The driver holds the indexes: each group's estimate must fit in an eighth of its heap, and
    // the rows it collects in half of spark.driver.maxResultSize (0: no limit).
    long budget = Runtime.getRuntime().maxMemory() / 8;
    long maxResult =
        JavaUtils.byteStringAsBytes(spark.conf().get("spark.driver.maxResultSize", "1g"));
    if (maxResult > 0) {
      budget = Math.min(budget, maxResult / 2);
    }
    long indexBudget = budget;
    indexed.removeIf(
        group -> {
          Optional<EntityTimes> pairs = times.getOrDefault(group, Optional.empty());
          long bytes = 0;
          for (FeatureView view : groups.get(group)) {
            long rows = viewRows.getOrDefault(view, OptionalLong.empty()).orElse(Long.MAX_VALUE);
            if (pairs.isPresent()) {
              rows = Math.min(rows, pairs.get().pairs());
            }
            bytes =
                Math.addExact(
                    bytes,
                    Math.multiplyExact(
                        Math.min(rows, Integer.MAX_VALUE),
                        IndexedAsOfJoin.rowBytes(prepared.get(view))));
          }
          return bytes > indexBudget;
        });
    return new Plan(
        schema,
        outputNames,
        byView,
        keys,
        groups,
        aggregatedGroups,
        scan,
        times,
        prepared,
        indexed);
  }

  /**
   * The groups whose source rows are worth reducing with the entity rows' pairs (step 3 of
   * docs/offline.md): those whose sources hold at least {@value #REDUCE_MIN_ROWS_PER_ENTITY_ROW}
   * rows per entity row, counted from the Parquet footers, or whose counts are not known. With
   * fewer, collecting the pairs and bucketing every source row costs more than shuffling the rows
   * that would have been dropped (measured on the benchmark's shape case: 2.4 and 1.6 source rows
   * per entity row, the training set 2 s faster without the reduction).
   */
  private static List<List<String>> reducedGroups(
      Dataset<Row> entities,
      Map<List<String>, List<FeatureView>> groups,
      Map<List<String>, OptionalLong> sourceRows,
      Set<List<String>> indexed,
      TrainingSetOptions options) {
    if (options.broadcastLimit() == 0) {
      return List.of();
    }
    OptionalLong entityRows = RowEstimate.of(entities);
    List<List<String>> reduced = new ArrayList<>();
    for (List<String> group : groups.keySet()) {
      if (indexed.contains(group)) {
        continue;
      }
      OptionalLong rows = sourceRows.get(group);
      if (entityRows.isEmpty()
          || rows.isEmpty()
          || rows.getAsLong() >= REDUCE_MIN_ROWS_PER_ENTITY_ROW * (double) entityRows.getAsLong()) {
        reduced.add(group);
      }
    }
    return reduced;
  }

  /**
   * An entity column holding a view's join key; {@code sourceColumn} is the key in the source,
   * {@code type} its declared type.
   */
  private record KeyColumn(String column, String sourceColumn, ValueType type) {}

  private PreparedView prepare(
      FeatureView view,
      SourceRows source,
      List<KeyColumn> keys,
      List<Feature> features,
      EntityScan.Result scan) {
    if (view.isAggregated()) {
      return prepareAggregated(view, source, keys, scan);
    }
    long ttlMicros = view.maxAge().map(t -> t.toNanos() / 1000).orElse(0L);
    Column ts = source.eventTimestamp();
    Column keep = ts.isNotNull();
    for (KeyColumn key : keys) {
      keep = keep.and(col(AsOfJoin.quote(key.sourceColumn())).isNotNull());
    }
    if (!scan.rows()) {
      keep = lit(false);
    } else {
      // Literal bounds so that Spark pushes them down to the Parquet scan.
      keep =
          keep.and(
              source.eventTimeWithin(
                  ttlMicros > 0
                      ? Optional.of(micros(scan.minMicros() - ttlMicros))
                      : Optional.empty(),
                  micros(scan.maxMicros())));
    }
    // Columns read by lossless widening are cast to their declared types here, so the entity
    // keys and the output columns have the definitions' types.
    List<Column> columns = new ArrayList<>();
    for (KeyColumn key : keys) {
      columns.add(source.column(key.sourceColumn(), key.type()).as(key.sourceColumn()));
    }
    columns.add(unix_micros(ts).as("ts"));
    columns.add(
        source
            .createdTimestamp()
            .map(c -> unix_micros(c))
            .orElse(lit(null).cast(DataTypes.LongType))
            .as("created"));
    List<DataType> types = new ArrayList<>();
    for (Feature feature : features) {
      columns.add(source.column(feature.sourceColumn(), feature.type()).as(feature.sourceColumn()));
      types.add(SparkTypes.of(feature.type()));
    }
    return new PreparedView(
        source.rows().where(keep).select(columns.toArray(Column[]::new)), types, ttlMicros);
  }

  /** An aggregated view's events: keys, {@code ts}, {@code created}, the tile layout's columns. */
  private static PreparedView prepareAggregated(
      FeatureView view, SourceRows source, List<KeyColumn> keys, EntityScan.Result scan) {
    TileLayout layout = TileLayout.of(view);
    Dataset<Row> rows =
        WindowJoin.prepare(
            source,
            keys.stream().map(KeyColumn::sourceColumn).toList(),
            keys.stream().map(KeyColumn::type).toList(),
            layout,
            scan.minMicros(),
            scan.maxMicros());
    if (!scan.rows()) {
      rows = rows.where(lit(false));
    }
    List<DataType> types = layout.columnTypes().stream().map(SparkTypes::of).toList();
    return new PreparedView(rows, types, 0);
  }

  private static Instant micros(long epochMicros) {
    return Instant.EPOCH.plusNanos(Math.multiplyExact(epochMicros, 1000L));
  }

  private static void checkTimestampColumn(StructType schema, String column) {
    StructField field = field(schema, column);
    if (field == null) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot build a training set: the entity dataframe has no timestamp column '%s'"
              + " (columns present: %s); name it with --timestamp-column",
          column,
          String.join(", ", schema.fieldNames()));
    }
    if (!field.dataType().equals(DataTypes.TimestampType)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot build a training set: entity timestamp column '%s' is %s, expected timestamp"
              + " (an instant; convert it, e.g. with to_timestamp)",
          column,
          SparkTypes.describe(field.dataType()));
    }
  }

  private static List<String> outputNames(
      StructType schema, List<ResolvedFeature> features, boolean fullNames) {
    Set<String> input = new HashSet<>(Arrays.asList(schema.fieldNames()));
    for (String name : input) {
      if (name.startsWith(INTERNAL_PREFIX)) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_DATA,
            "Cannot build a training set: entity column '%s' uses the reserved prefix '%s'",
            name,
            INTERNAL_PREFIX);
      }
    }
    Map<String, ResolvedFeature> seen = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (ResolvedFeature feature : features) {
      String name = fullNames ? feature.fullName() : feature.feature().name();
      ResolvedFeature previous = seen.putIfAbsent(name, feature);
      if (previous != null) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot build a training set: features %s and %s would both be named '%s';"
                + " use --full-feature-names (view__feature column names)",
            previous.reference(),
            feature.reference(),
            name);
      }
      if (input.contains(name)) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot build a training set: feature %s would be named '%s', which is already a"
                + " column of the entity dataframe; %s",
            feature.reference(),
            name,
            fullNames
                ? "rename that column"
                : "use --full-feature-names (view__feature column names) or rename that column");
      }
      names.add(name);
    }
    return names;
  }

  private static Map<String, String> keyToColumn(
      StructType schema, Map<String, String> columnToKey) {
    Map<String, String> keyToColumn = new HashMap<>();
    for (Map.Entry<String, String> entry : columnToKey.entrySet()) {
      if (field(schema, entry.getKey()) == null) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot map entity column '%s' to join key '%s': no such column (columns present: %s)",
            entry.getKey(),
            entry.getValue(),
            String.join(", ", schema.fieldNames()));
      }
      String previous = keyToColumn.put(entry.getValue(), entry.getKey());
      if (previous != null) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot map entity columns '%s' and '%s' both to join key '%s'",
            previous,
            entry.getKey(),
            entry.getValue());
      }
    }
    return keyToColumn;
  }

  private List<KeyColumn> keyColumns(
      StructType schema, FeatureView view, Map<String, String> keyToColumn) {
    List<KeyColumn> columns = new ArrayList<>();
    for (var entity : definitions.entitiesOf(view)) {
      for (JoinKey key : entity.joinKeys()) {
        String column = keyToColumn.getOrDefault(key.name(), key.name());
        StructField field = field(schema, column);
        if (field == null) {
          throw FeatureStoreException.of(
              ErrorCode.INVALID_DATA,
              "Cannot join feature view '%s': the entity dataframe has no column '%s' for join key"
                  + " '%s' of entity '%s' (columns present: %s); map a differently named column"
                  + " with --join-key-map %s=COLUMN",
              view.name(),
              column,
              key.name(),
              entity.name(),
              String.join(", ", schema.fieldNames()),
              key.name());
        }
        if (!SparkTypes.matches(field.dataType(), key.type())) {
          throw FeatureStoreException.of(
              ErrorCode.INVALID_DATA,
              "Cannot join feature view '%s': entity column '%s' is %s, but join key '%s' of entity"
                  + " '%s' is %s (%s)",
              view.name(),
              column,
              SparkTypes.describe(field.dataType()),
              key.name(),
              entity.name(),
              key.type(),
              SparkTypes.describe(SparkTypes.of(key.type())));
        }
        columns.add(new KeyColumn(column, key.name(), key.type()));
      }
    }
    columns.sort(Comparator.comparing(KeyColumn::column).thenComparing(KeyColumn::sourceColumn));
    return columns;
  }

  private static StructField field(StructType schema, String name) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    return null;
  }
}
