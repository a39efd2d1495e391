/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import static java.util.Objects.requireNonNull;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FeatureVector;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.online.snapshot.ViewReader;
import dev.featurestore.online.store.OnlineRead;
import dev.featurestore.online.store.OnlineStoreReader;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineExpiry;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.onlinestore.OnlineValueCodec.DecodedValue;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code get-online-features}: validates a request against the registry snapshot current
 * when it arrives, reads every (entity, view) value in one round trip and shapes Feast's answer.
 */
public final class OnlineFeatureService {
  private static final String EPOCH = "1970-01-01T00:00:00Z";

  private final RegistryWatcher registry;
  private final OnlineStoreReader store;
  private final OnlineMetrics metrics;
  private final Clock clock;
  private final int maxEntities;

  public OnlineFeatureService(
      RegistryWatcher registry,
      OnlineStoreReader store,
      OnlineMetrics metrics,
      Clock clock,
      int maxEntities) {
    this.registry = requireNonNull(registry, "registry is null");
    this.store = requireNonNull(store, "store is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.maxEntities = maxEntities;
  }

  /**
   * Looks features up; validation errors are thrown, store errors (UNAVAILABLE, from the store)
   * complete the future.
   */
  public CompletableFuture<GetOnlineFeaturesResponse> lookup(GetOnlineFeaturesRequest request) {
    return lookup(request, ValueEncoding.JSON);
  }

  /**
   * Looks features up as {@link #lookup(GetOnlineFeaturesRequest)}, with values in {@code
   * encoding}.
   */
  public CompletableFuture<GetOnlineFeaturesResponse> lookup(
      GetOnlineFeaturesRequest request, ValueEncoding encoding) {
    ServingSnapshot snapshot = registry.current();
    LookupPlanner.checkEntities(request);
    LookupPlan plan =
        LookupPlanner.plan(snapshot, featurePlan(snapshot, request), request, maxEntities);
    metrics.entities(plan.rows());
    metrics.ignoredEntityColumns(plan.ignoredColumns());
    if (plan.rows() == 0) {
      return CompletableFuture.completedFuture(
          respond(plan, new OnlineRead(List.of(), List.of()), encoding));
    }
    long start = System.nanoTime();
    // The store times out itself (featurestore.redis-timeout); a timer here would cost a thread.
    // Its failures are UNAVAILABLE errors already (OnlineStoreReader#read).
    CompletableFuture<OnlineRead> read =
        plan.hashKeys().isEmpty()
            ? store.read(plan.keys()).thenApply(values -> new OnlineRead(values, List.of()))
            : store.read(plan.keys(), plan.hashKeys());
    return read.thenApply(
        values -> {
          metrics.redisRoundTrip(System.nanoTime() - start);
          return respond(plan, values, encoding);
        });
  }

  /**
   * The request's features resolved against the snapshot: cached per snapshot and feature list (or
   * service), as most requests of a model ask for the same features. Requests that fail to resolve
   * are not cached; the cache is emptied when it holds {@value #MAX_CACHED_PLANS} feature lists.
   */
  @SuppressWarnings("ReferenceEquality") // one cache per snapshot object: a reload is a new object
  private LookupPlanner.FeaturePlan featurePlan(
      ServingSnapshot snapshot, GetOnlineFeaturesRequest request) {
    PlanCache cache = plans;
    if (cache.snapshot != snapshot) {
      cache = new PlanCache(snapshot);
      plans = cache;
    }
    PlanKey key =
        new PlanKey(request.featureService(), request.features(), request.hasFullFeatureNames());
    LookupPlanner.FeaturePlan plan = cache.plans.get(key);
    if (plan == null) {
      plan = LookupPlanner.features(snapshot, request);
      if (cache.plans.size() >= MAX_CACHED_PLANS) {
        cache.plans.clear();
      }
      List<String> features = request.features();
      cache.plans.put(
          features == null
              ? key
              : new PlanKey(
                  key.featureService(),
                  Collections.unmodifiableList(new ArrayList<>(features)),
                  key.fullNames()),
          plan);
    }
    return plan;
  }

  private static final int MAX_CACHED_PLANS = 1_000;

  private volatile PlanCache plans = new PlanCache(null);

  private record PlanKey(String featureService, List<String> features, boolean fullNames) {}

  private record PlanCache(
      ServingSnapshot snapshot, Map<PlanKey, LookupPlanner.FeaturePlan> plans) {
    PlanCache(ServingSnapshot snapshot) {
      this(snapshot, new ConcurrentHashMap<>());
    }
  }

  private GetOnlineFeaturesResponse respond(
      LookupPlan plan, OnlineRead read, ValueEncoding encoding) {
    int rows = plan.rows();
    List<ViewReader> views = plan.views();
    long nowMicros = micros(clock.instant());
    // Per view and row: the values (in the view's feature order) and the status of the row; a
    // plain view's rows have one event timestamp, an aggregated view's one per aggregation.
    List<?>[][] rowValues = new List<?>[views.size()][rows];
    FieldStatus[][] rowStatus = new FieldStatus[views.size()][rows];
    String[][] timestamps = new String[views.size()][];
    long[][][] newestEvents = new long[views.size()][][];
    for (int v = 0; v < views.size(); v++) {
      ViewReader reader = views.get(v);
      int first = plan.firstKeys().get(v);
      if (reader.isAggregated()) {
        newestEvents[v] = new long[rows][];
        AggregatedViews.windows(
            reader,
            read.hashes().subList(first, first + rows),
            nowMicros,
            rowValues[v],
            rowStatus[v],
            newestEvents[v],
            metrics);
        continue;
      }
      timestamps[v] = new String[rows];
      long oldestMicros = -1;
      long newestEventMicros = Long.MIN_VALUE;
      for (int r = 0; r < rows; r++) {
        byte[] value = read.values().get(first + r);
        if (value == null) {
          rowStatus[v][r] = FieldStatus.NOT_FOUND;
          timestamps[v][r] = EPOCH;
          continue;
        }
        long eventMicros = OnlineValueCodec.eventMicros(value);
        timestamps[v][r] = timestamp(eventMicros);
        if (!OnlineExpiry.isServed(reader.view(), eventMicros, nowMicros)) {
          rowStatus[v][r] = FieldStatus.OUTSIDE_MAX_AGE;
          continue;
        }
        DecodedValue decoded = reader.codec().decode(value, plan.snapshot().writerSchemas());
        rowValues[v][r] = decoded.values();
        rowStatus[v][r] = FieldStatus.PRESENT;
        oldestMicros = Math.max(oldestMicros, nowMicros - eventMicros);
        newestEventMicros = Math.max(newestEventMicros, eventMicros);
      }
      if (oldestMicros >= 0) {
        metrics.freshness(reader.view().name(), oldestMicros);
        metrics.served(reader.view().name(), newestEventMicros);
      }
    }

    List<String> names = new ArrayList<>(plan.joinKeyNames().size() + plan.outputs().size());
    List<FeatureVector> results = new ArrayList<>(names.size());
    List<FieldStatus> allPresent = Collections.nCopies(rows, FieldStatus.PRESENT);
    List<String> allEpoch = Collections.nCopies(rows, EPOCH);
    for (int k = 0; k < plan.joinKeyNames().size(); k++) {
      names.add(plan.joinKeyNames().get(k));
      results.add(
          new FeatureVector(
              encoding.joinKey(plan.joinKeyNames().get(k), plan.joinKeyValues().get(k)),
              allPresent,
              allEpoch));
    }
    for (LookupPlan.Output output : plan.outputs()) {
      names.add(output.name());
      int v = output.view();
      int index = output.featureIndex();
      List<Object> values = new ArrayList<>(rows);
      List<FieldStatus> statuses = new ArrayList<>(rows);
      for (int r = 0; r < rows; r++) {
        FieldStatus status = rowStatus[v][r];
        Object value = null;
        if (status == FieldStatus.PRESENT) {
          value = rowValues[v][r].get(index);
          if (value == null) {
            status = FieldStatus.NULL_VALUE;
          }
        }
        values.add(encoding.feature(output.feature().type(), value));
        statuses.add(status);
      }
      List<String> eventTimestamps;
      if (newestEvents[v] == null) {
        eventTimestamps = Arrays.asList(timestamps[v]);
      } else {
        String[] newest = new String[rows];
        for (int r = 0; r < rows; r++) {
          long[] events = newestEvents[v][r];
          newest[r] =
              events == null || events[index] == Long.MIN_VALUE ? EPOCH : timestamp(events[index]);
        }
        eventTimestamps = Arrays.asList(newest);
      }
      results.add(new FeatureVector(values, statuses, eventTimestamps));
    }
    return new GetOnlineFeaturesResponse(new GetOnlineFeaturesResponse.Metadata(names), results);
  }

  static List<Object> echo(List<Object> keyValues) {
    List<Object> values = new ArrayList<>(keyValues.size());
    for (Object value : keyValues) {
      values.add(value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value);
    }
    return values;
  }

  /** Converts a decoded value to what Feast's JSON shows for its type. */
  static Object json(ValueType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      // Feast widens float32 to a JSON double, e.g. 0.7037263512611389.
      case FLOAT32 -> ((Float) value).doubleValue();
      // Feast's UNIX_TIMESTAMP values are whole seconds since the epoch.
      case TIMESTAMP -> Math.floorDiv((Long) value, 1_000_000L);
      case BYTES -> Base64.getEncoder().encodeToString((byte[]) value);
      case ARRAY_FLOAT32 -> {
        List<?> items = (List<?>) value;
        List<Object> widened = new ArrayList<>(items.size());
        for (Object item : items) {
          widened.add(item == null ? null : ((Float) item).doubleValue());
        }
        yield widened;
      }
      default -> value;
    };
  }

  /**
   * Formats microseconds since the epoch exactly as {@link Instant#toString} does; years 0 to 9999
   * without its formatter (a StringBuilder, a LocalDateTime and field-by-field printing per value
   * were a sixth of the service's allocation).
   */
  static String timestamp(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int fraction = (int) Math.floorMod(micros, 1_000_000L);
    if (seconds < MIN_FAST_SECOND || seconds > MAX_FAST_SECOND) {
      return Instant.ofEpochSecond(seconds, fraction * 1_000L).toString();
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    int digits = fraction == 0 ? 0 : fraction % 1_000 == 0 ? 3 : 6;
    char[] text = new char[digits == 0 ? 20 : 21 + digits];
    put(text, 0, date.getYear(), 4);
    text[4] = '-';
    put(text, 5, date.getMonthValue(), 2);
    text[7] = '-';
    put(text, 8, date.getDayOfMonth(), 2);
    text[10] = 'T';
    put(text, 11, secondOfDay / 3_600, 2);
    text[13] = ':';
    put(text, 14, secondOfDay / 60 % 60, 2);
    text[16] = ':';
    put(text, 17, secondOfDay % 60, 2);
    if (digits > 0) {
      text[19] = '.';
      put(text, 20, digits == 3 ? fraction / 1_000 : fraction, digits);
    }
    text[text.length - 1] = 'Z';
    return new String(text);
  }

  private static final long MIN_FAST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400L;
  private static final long MAX_FAST_SECOND = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400L;

  /** Writes {@code value} as {@code width} zero-padded decimal digits at {@code offset}. */
  private static void put(char[] text, int offset, int value, int width) {
    for (int i = offset + width - 1; i >= offset; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }
}
