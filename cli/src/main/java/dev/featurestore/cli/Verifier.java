/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static java.util.Objects.requireNonNull;

import dev.featurestore.offline.HistoricalFeatures;
import dev.featurestore.offline.TrainingSetOptions;
import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.online.store.LettuceOnlineStoreReader;
import dev.featurestore.online.store.OnlineSample;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ResolvedFeature;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.spark.SparkTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The online/offline consistency check behind {@code featurestore verify}: samples entities present
 * online ({@link OnlineSample}), looks their values up through the online service's own {@link
 * OnlineFeatureService} (same registry snapshot, planner, Redis reader, TTL rule; its clock fixed
 * at the lookup time), computes their point-in-time values as of the same instant from the offline
 * sources with {@link HistoricalFeatures} (the training-set code), and compares them value by value
 * ({@link VerifyValues}). Aggregated views are compared the same way: online, the aggregations as
 * the service folds them from the tiles as of the lookup time; offline, as the training set
 * computes them as of that time ({@link VerifyAggregated}); they must be equal exactly.
 */
final class Verifier {
  /** The most mismatch examples kept per feature. */
  static final int EXAMPLES = 5;

  private static final String ROW = "__verify_row";
  private static final String LOOKUP_TIME = "__verify_lookup_time";
  private static final String EVENT = "__verify_event_timestamp";
  static final int BATCH = 1_000;

  private final FeatureRepo repo;
  private final RedisConfig redis;
  private final Supplier<SparkSession> spark;

  Verifier(FeatureRepo repo, RedisConfig redis, Supplier<SparkSession> spark) {
    this.repo = requireNonNull(repo, "repo is null");
    this.redis = requireNonNull(redis, "redis is null");
    this.spark = requireNonNull(spark, "spark is null");
  }

  VerifyReport verify(List<String> viewNames, int sample, long seed, Instant now) {
    Instant lookupTime = VerifyValues.instant(VerifyValues.micros(now));
    repo.latestApplied("verify online/offline consistency");
    try (RegistryWatcher watcher =
            new RegistryWatcher(repo.config().project(), repo.registry(), Duration.ofHours(1));
        LettuceOnlineStoreReader reader =
            new LettuceOnlineStoreReader(redis, Duration.ofSeconds(10), 1)) {
      ServingSnapshot snapshot = watcher.current();
      Definitions definitions = snapshot.definitions();
      OnlineFeatureService service =
          new OnlineFeatureService(
              watcher,
              reader,
              new OnlineMetrics(new SimpleMeterRegistry()),
              Clock.fixed(lookupTime, ZoneOffset.UTC),
              BATCH);
      Map<List<JoinKey>, List<FeatureView>> groups = new LinkedHashMap<>();
      for (FeatureView view : views(definitions, viewNames)) {
        groups.computeIfAbsent(definitions.joinKeysOf(view), k -> new ArrayList<>()).add(view);
      }
      List<VerifyReport.View> results = new ArrayList<>();
      for (Map.Entry<List<JoinKey>, List<FeatureView>> group : groups.entrySet()) {
        List<JoinKey> joinKeys = group.getKey();
        // Entities present online in any view on the same keys: an entity deleted from one view
        // but kept in another is then found offline-only.
        List<String> sameKeys =
            definitions.featureViews().stream()
                .filter(v -> v.online() && definitions.joinKeysOf(v).equals(joinKeys))
                .map(FeatureView::name)
                .toList();
        List<List<Object>> entities =
            OnlineSample.entities(redis, definitions.project(), sameKeys, joinKeys, sample, seed);
        Map<Integer, Row> offline =
            offline(definitions, group.getValue(), joinKeys, entities, lookupTime);
        for (FeatureView view : group.getValue()) {
          VerifyOnline online = VerifyOnline.lookup(service, view, joinKeys, entities);
          results.add(
              compare(
                  snapshot,
                  view,
                  joinKeys,
                  entities,
                  online,
                  offline,
                  repo.registry().watermarks().read(view.name())));
        }
      }
      boolean consistent = results.stream().allMatch(VerifyReport.View::consistent);
      return new VerifyReport(lookupTime, sample, seed, consistent, results);
    }
  }

  /** The views asked for (each online), or every online view. */
  private static List<FeatureView> views(Definitions definitions, List<String> names) {
    if (names.isEmpty()) {
      return definitions.featureViews().stream().filter(FeatureView::online).toList();
    }
    List<FeatureView> views = new ArrayList<>();
    for (String name : names) {
      FeatureView view = definitions.requireFeatureView(name);
      if (!view.online()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot verify feature view '%s': it is not online (online: false), so nothing of it"
                + " is materialized to compare; drop it from --views",
            name);
      }
      if (!views.contains(view)) {
        views.add(view);
      }
    }
    return views;
  }

  /**
   * The point-in-time rows of the views as of the lookup time, by entity row: each view's features
   * ({@code view__feature}) and the event timestamp of the source row picked ({@code
   * view____verify_event_timestamp}, null when none is), read as one more feature of the view; for
   * an aggregated view, its aggregations and the newest event of each window ({@link
   * VerifyAggregated}).
   */
  private Map<Integer, Row> offline(
      Definitions definitions,
      List<FeatureView> views,
      List<JoinKey> joinKeys,
      List<List<Object>> entities,
      Instant lookupTime) {
    Map<Integer, Row> byRow = new LinkedHashMap<>();
    if (entities.isEmpty()) {
      return byRow;
    }
    StructType schema = new StructType();
    for (JoinKey key : joinKeys) {
      schema = schema.add(key.name(), SparkTypes.of(key.type()), false);
    }
    schema = schema.add(LOOKUP_TIME, DataTypes.TimestampType, false);
    schema = schema.add(ROW, DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>(entities.size());
    Timestamp at = Timestamp.from(lookupTime);
    for (int r = 0; r < entities.size(); r++) {
      List<Object> values = new ArrayList<>(entities.get(r));
      for (int k = 0; k < joinKeys.size(); k++) {
        if (joinKeys.get(k).type() == ValueType.INT64 && values.get(k) instanceof Integer i) {
          values.set(k, i.longValue());
        }
      }
      values.add(at);
      values.add(r);
      rows.add(RowFactory.create(values.toArray()));
    }
    List<ResolvedFeature> features = new ArrayList<>();
    for (FeatureView view : views) {
      String timestampField = definitions.sourceOf(view).timestampField();
      FeatureView withEvent =
          view.isAggregated()
              ? VerifyAggregated.withNewestEvents(view, timestampField)
              : withEventTimestamp(view, timestampField);
      for (Feature feature : withEvent.features()) {
        features.add(new ResolvedFeature(withEvent, feature));
      }
    }
    SparkSession session = spark.get();
    HistoricalFeatures historical = HistoricalFeatures.of(session, definitions, repo::resolve);
    List<Row> joined =
        historical
            .join(
                session.createDataFrame(rows, schema),
                features,
                TrainingSetOptions.defaults()
                    .withTimestampColumn(LOOKUP_TIME)
                    .withFullFeatureNames())
            .collectAsList();
    for (Row row : joined) {
      byRow.put(row.getInt(row.fieldIndex(ROW)), row);
    }
    return byRow;
  }

  /** The view with one more feature: its source's event timestamp column, as a timestamp. */
  private static FeatureView withEventTimestamp(FeatureView view, String timestampField) {
    List<Feature> features = new ArrayList<>(view.features());
    features.add(new Feature(EVENT, ValueType.TIMESTAMP, timestampField, ""));
    return new FeatureView(
        view.name(),
        view.entities(),
        view.source(),
        view.ttl(),
        view.online(),
        features,
        view.tags(),
        view.description());
  }

  private static VerifyReport.View compare(
      ServingSnapshot snapshot,
      FeatureView view,
      List<JoinKey> joinKeys,
      List<List<Object>> entities,
      VerifyOnline online,
      Map<Integer, Row> offline,
      Optional<Instant> watermark) {
    // An aggregated view's online values are folded from tiles, not decoded: no codec.
    OnlineValueCodec codec =
        view.isAggregated() ? null : new OnlineValueCodec(snapshot.project(), view);
    int features = view.features().size();
    long[] matches = new long[features];
    long[] mismatches = new long[features];
    List<List<VerifyReport.Example>> examples = new ArrayList<>();
    for (int f = 0; f < features; f++) {
      examples.add(new ArrayList<>());
    }
    int onlineOnly = 0;
    int offlineOnly = 0;
    int newerOffline = 0;
    int absent = 0;
    for (int r = 0; r < entities.size(); r++) {
      Row row = offline.get(r);
      // The offline side's event timestamp: the source row picked, or for an aggregated view the
      // newest event any window covers (null when there is none).
      long[] offlineEvents = null;
      Long offlineEvent = null;
      if (row != null && view.isAggregated()) {
        offlineEvents = VerifyAggregated.newestEvents(view, row);
        long newest = VerifyAggregated.newestEvent(offlineEvents);
        offlineEvent = newest == Long.MIN_VALUE ? null : newest;
      } else if (row != null) {
        Timestamp picked = row.getTimestamp(row.fieldIndex(view.name() + "__" + EVENT));
        offlineEvent = picked == null ? null : VerifyValues.micros(picked.toInstant());
      }
      boolean served = online.served()[r];
      long after = Long.MIN_VALUE;
      if (watermark.isPresent()) {
        after = VerifyValues.micros(watermark.get());
      }
      if (served) {
        after = Math.max(after, online.eventMicros()[r]);
      }
      if (offlineEvent != null && after != Long.MIN_VALUE && offlineEvent > after) {
        newerOffline++;
      } else if (served && offlineEvent == null) {
        onlineOnly++;
      } else if (!served && offlineEvent != null) {
        offlineOnly++;
      } else if (!served) {
        absent++;
      } else {
        long offlineMicros = offlineEvent;
        List<Object> offlineValues =
            view.isAggregated()
                ? VerifyAggregated.values(view, row)
                : offlineValues(codec, snapshot, view, row, offlineMicros);
        for (int f = 0; f < features; f++) {
          Object onlineValue = online.values().get(r).get(f);
          Object offlineValue = offlineValues.get(f);
          if (VerifyValues.same(onlineValue, offlineValue)) {
            matches[f]++;
          } else {
            mismatches[f]++;
            if (examples.get(f).size() < EXAMPLES) {
              ValueType type = view.features().get(f).type();
              examples
                  .get(f)
                  .add(
                      new VerifyReport.Example(
                          entity(joinKeys, entities.get(r)),
                          VerifyValues.shown(type, onlineValue),
                          VerifyValues.shown(type, offlineValue),
                          VerifyValues.instant(online.featureEventMicros().get(r)[f]),
                          VerifyValues.instant(
                              offlineEvents == null
                                  ? offlineMicros
                                  : Math.max(0, offlineEvents[f]))));
            }
          }
        }
      }
    }
    List<VerifyReport.Feature> results = new ArrayList<>();
    for (int f = 0; f < features; f++) {
      results.add(
          new VerifyReport.Feature(
              view.features().get(f).name(), matches[f], mismatches[f], examples.get(f)));
    }
    return new VerifyReport.View(
        view.name(),
        entities.size(),
        onlineOnly,
        offlineOnly,
        newerOffline,
        absent,
        watermark,
        results);
  }

  /**
   * A point-in-time row's values of the view, encoded and decoded with the online codec, so both
   * sides are compared in the one representation the store serves.
   */
  private static List<Object> offlineValues(
      OnlineValueCodec codec, ServingSnapshot snapshot, FeatureView view, Row row, long micros) {
    List<Object> values = new ArrayList<>(view.features().size());
    for (Feature feature : view.features()) {
      int index = row.fieldIndex(view.name() + "__" + feature.name());
      values.add(
          row.isNullAt(index)
              ? null
              : feature.type().isArray() ? row.getList(index) : row.get(index));
    }
    byte[] encoded = codec.encode(values, micros, OptionalLong.empty());
    return codec.decode(encoded, snapshot.writerSchemas()).values();
  }

  private static Map<String, Object> entity(List<JoinKey> joinKeys, List<Object> values) {
    Map<String, Object> entity = new LinkedHashMap<>();
    for (int k = 0; k < joinKeys.size(); k++) {
      Object value = values.get(k);
      entity.put(
          joinKeys.get(k).name(),
          value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value);
    }
    return entity;
  }
}
