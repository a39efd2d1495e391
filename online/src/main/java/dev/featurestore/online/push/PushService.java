/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import dev.featurestore.offlinestore.append.ParquetAppender;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.online.snapshot.ViewReader;
import dev.featurestore.onlinestore.writer.NewerWinsWriter;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.onlinestore.writer.ViewWriter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineExpiry;
import dev.featurestore.registry.repo.FeatureRepo;
import io.lettuce.core.RedisException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;

/**
 * Writes pushed rows: online through the shared online-store writer (the materializer's encoding,
 * newer-wins script and expiry), offline through the Parquet appender.
 *
 * <p>Order: every row is checked and converted first, for every store the push names (the {@code
 * df}, then the offline file's schema), so bad input writes nothing. Then online, then offline: a
 * Redis failure leaves the offline store untouched; an offline failure after the online write says
 * so. Either way a retry is safe: online writes are newer-wins (a re-sent row changes nothing), and
 * a re-sent offline file only adds exact duplicate rows, which training sets and materializations
 * ignore.
 *
 * <p>Blocking (Redis answers, file I/O): callers run it off the event loops.
 */
final class PushService {
  /** Where rows go, as Feast's {@code to} names it. */
  enum Target {
    ONLINE("online", true, false),
    OFFLINE("offline", false, true),
    ONLINE_AND_OFFLINE("online_and_offline", true, true);

    final String wire;
    final boolean online;
    final boolean offline;

    Target(String wire, boolean online, boolean offline) {
      this.wire = wire;
      this.online = online;
      this.offline = offline;
    }

    static Target of(String text) {
      for (Target target : values()) {
        if (target.wire.equals(text)) {
          return target;
        }
      }
      throw new FeatureStoreException(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot push: 'to' is \""
              + text
              + "\"; use \"online\" (the default), \"offline\" or \"online_and_offline\"");
    }
  }

  private static final int SCRIPT_BATCH = 256;
  private static final int FLUSH_EVERY = 16;
  private static final int MAX_IN_FLIGHT = 64;

  private final RegistryWatcher registry;
  private final FeatureRepo repo;
  private final RedisConfig redis;
  private final PushProperties properties;
  private final PushMetrics metrics;
  private final Clock clock;

  PushService(
      RegistryWatcher registry,
      FeatureRepo repo,
      RedisConfig redis,
      PushProperties properties,
      PushMetrics metrics,
      Clock clock) {
    this.registry = registry;
    this.repo = repo;
    this.redis = redis;
    this.properties = properties;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** {@code POST /push}: rows of a push source, to every online view over it and/or offline. */
  Map<String, Object> push(JsonNode body) {
    String name = text(body, "push_source_name", "Cannot push");
    ServingSnapshot snapshot = registry.current();
    Definitions definitions = snapshot.definitions();
    String action = "Cannot push to source '" + name + "'";
    Optional<ParquetSource> found = definitions.source(name);
    String metricSource = found.isPresent() ? name : PushMetrics.UNKNOWN;
    try {
      ParquetSource source =
          found.orElseThrow(
              () ->
                  FeatureStoreException.of(
                      ErrorCode.NOT_FOUND,
                      "%s: project '%s' has no such source%s; push sources: %s",
                      action,
                      definitions.project(),
                      Names.didYouMean(
                          name, definitions.sources().stream().map(ParquetSource::name).toList()),
                      definitions.sources().stream()
                          .filter(ParquetSource::acceptsPushes)
                          .map(ParquetSource::name)
                          .toList()));
      if (!source.acceptsPushes()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "%s: it does not accept pushes; add 'push: true' to its definition (its parquet path"
                + " must be a folder) and run 'featurestore apply'",
            action);
      }
      JsonNode to = body.path("to");
      Target target = to.isMissingNode() || to.isNull() ? Target.ONLINE : Target.of(to.asString());
      List<FeatureView> overSource =
          definitions.featureViews().stream().filter(v -> v.source().equals(name)).toList();
      List<FeatureView> online = overSource.stream().filter(FeatureView::online).toList();
      List<FeatureView> checked = target.offline ? overSource : online;
      Map<String, Object> answer =
          write(
              action, snapshot, source, checked, target.online ? online : List.of(), target, body);
      answer.put("push_source_name", name);
      answer.put("to", target.wire);
      metrics.pushed(name, (Integer) answer.get("rows"));
      return reorder(answer, "push_source_name");
    } catch (RuntimeException e) {
      metrics.rejected(metricSource);
      throw e;
    }
  }

  /** {@code POST /write-to-online-store}: rows of one online feature view. */
  Map<String, Object> writeToOnlineStore(JsonNode body) {
    String name = text(body, "feature_view_name", "Cannot write to the online store");
    ServingSnapshot snapshot = registry.current();
    Definitions definitions = snapshot.definitions();
    String action = "Cannot write to the online store of feature view '" + name + "'";
    Optional<FeatureView> found =
        definitions.featureViews().stream().filter(v -> v.name().equals(name)).findFirst();
    String metricSource = found.map(FeatureView::source).orElse(PushMetrics.UNKNOWN);
    try {
      FeatureView view =
          found.orElseThrow(
              () ->
                  FeatureStoreException.of(
                      ErrorCode.NOT_FOUND,
                      "%s: project '%s' has no such feature view%s",
                      action,
                      definitions.project(),
                      Names.didYouMean(
                          name,
                          definitions.featureViews().stream().map(FeatureView::name).toList())));
      if (!view.online()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "%s: it is not served online (online: false in its definition)",
            action);
      }
      ParquetSource source = definitions.source(view.source()).orElseThrow();
      Map<String, Object> answer =
          write(action, snapshot, source, List.of(view), List.of(view), Target.ONLINE, body);
      answer.put("feature_view_name", name);
      metrics.pushed(source.name(), (Integer) answer.get("rows"));
      return reorder(answer, "feature_view_name");
    } catch (RuntimeException e) {
      metrics.rejected(metricSource);
      throw e;
    }
  }

  private Map<String, Object> write(
      String action,
      ServingSnapshot snapshot,
      ParquetSource source,
      List<FeatureView> checked,
      List<FeatureView> onlineViews,
      Target target,
      JsonNode body) {
    Definitions definitions = snapshot.definitions();
    Map<String, PushFrame.Needed> needed = needed(definitions, source, checked);
    PushFrame frame = PushFrame.parse(action, body.get("df"), needed, properties.maxRows());
    Optional<ParquetAppender.Prepared> offline =
        target.offline
            ? Optional.of(prepareOffline(action, source, needed, frame))
            : Optional.empty();

    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("rows", frame.rows());
    if (target.online) {
      answer.put("online", writeOnline(action, snapshot, source, onlineViews, frame, target));
    }
    if (offline.isPresent()) {
      Path file;
      try {
        file = offline.get().commit();
      } catch (FeatureStoreException e) {
        throw new FeatureStoreException(
            e.errorCode(),
            e.getMessage()
                + (target.online
                    ? "; the rows were written online (views "
                        + onlineViews.stream().map(FeatureView::name).toList()
                        + ") but not offline; a retry is safe"
                    : "; nothing was written"),
            e);
      }
      answer.put("offline", Map.of("file", file.getFileName().toString()));
    }
    answer.put("ignored_columns", frame.ignored());
    return answer;
  }

  /** The columns a push uses: join keys, timestamps and the features of the views. */
  private static Map<String, PushFrame.Needed> needed(
      Definitions definitions, ParquetSource source, List<FeatureView> views) {
    Map<String, PushFrame.Needed> needed = new LinkedHashMap<>();
    for (FeatureView view : views) {
      String by = "feature view '" + view.name() + "'";
      for (JoinKey key : definitions.joinKeysOf(view)) {
        needed.putIfAbsent(key.name(), new PushFrame.Needed(key.type(), true, false, by));
      }
    }
    needed.putIfAbsent(
        source.timestampField(),
        new PushFrame.Needed(
            ValueType.TIMESTAMP, true, false, "source '" + source.name() + "' as timestamp_field"));
    source
        .createdTimestampField()
        .ifPresent(
            created ->
                needed.putIfAbsent(
                    created,
                    new PushFrame.Needed(
                        ValueType.TIMESTAMP,
                        false,
                        true,
                        "source '" + source.name() + "' as created_timestamp_field")));
    for (FeatureView view : views) {
      String by = "feature view '" + view.name() + "'";
      for (Feature feature : view.features()) {
        needed.putIfAbsent(
            feature.sourceColumn(), new PushFrame.Needed(feature.type(), true, true, by));
      }
    }
    return needed;
  }

  private ParquetAppender.Prepared prepareOffline(
      String action, ParquetSource source, Map<String, PushFrame.Needed> needed, PushFrame frame) {
    URI location = repo.resolve(source.path());
    if (!"file".equals(location.getScheme())) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "%s: pushes to the offline store need a local folder, but its parquet path is %s",
          action,
          location);
    }
    Path folder = Path.of(location);
    if (Files.isRegularFile(folder)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "%s: its parquet path %s is a file; a pushed source must name a folder",
          action,
          folder);
    }
    List<ParquetAppender.Column> columns = new ArrayList<>();
    needed.forEach(
        (name, column) ->
            frame
                .column(name)
                .ifPresent(
                    values ->
                        columns.add(new ParquetAppender.Column(name, column.type(), values))));
    return ParquetAppender.prepare("source '" + source.name() + "'", folder, columns);
  }

  private Map<String, Object> writeOnline(
      String action,
      ServingSnapshot snapshot,
      ParquetSource source,
      List<FeatureView> views,
      PushFrame frame,
      Target target) {
    long nowMillis = clock.millis();
    List<Object> events = frame.column(source.timestampField()).orElseThrow();
    List<Object> created = source.createdTimestampField().flatMap(frame::column).orElse(null);
    // Encode everything before sending anything: a value the codec refuses writes nothing.
    List<ViewWriter> writers = new ArrayList<>();
    List<List<Encoded>> encoded = new ArrayList<>();
    for (FeatureView view : views) {
      // The snapshot's reader has the view's join keys and codec, made once per registry version.
      ViewReader reader = snapshot.reader(view.name());
      List<JoinKey> keys = reader.joinKeys();
      ViewWriter writer =
          new ViewWriter(
              snapshot.project(),
              view,
              keys,
              reader.codec(),
              OnlineExpiry.defaultGrace(view),
              nowMillis);
      List<Encoded> rows = new ArrayList<>(frame.rows());
      for (int row = 0; row < frame.rows(); row++) {
        List<Object> keyValues = new ArrayList<>(keys.size());
        for (JoinKey key : keys) {
          keyValues.add(frame.column(key.name()).orElseThrow().get(row));
        }
        List<Object> features = new ArrayList<>(view.features().size());
        for (Feature feature : view.features()) {
          features.add(frame.column(feature.sourceColumn()).orElseThrow().get(row));
        }
        long event = micros((Instant) events.get(row));
        Object createdAt = created == null ? null : created.get(row);
        OptionalLong createdMicros =
            createdAt == null ? OptionalLong.empty() : OptionalLong.of(micros((Instant) createdAt));
        byte[] value;
        try {
          value = writer.encode(features, event, createdMicros);
        } catch (FeatureStoreException e) {
          throw PushFrame.invalid(action, "row %d: %s", row, e.getMessage());
        }
        rows.add(new Encoded(writer.entityKey(keyValues), value, event));
      }
      writers.add(writer);
      encoded.add(rows);
    }
    long skipped = 0;
    RedisConnections.Shared shared;
    try {
      shared = RedisConnections.get(redis);
    } catch (FeatureStoreException e) {
      throw unavailable(action, e, target);
    }
    shared.connection().setTimeout(properties.redisTimeout());
    NewerWinsWriter writer = new NewerWinsWriter(shared, SCRIPT_BATCH, FLUSH_EVERY, MAX_IN_FLIGHT);
    try {
      for (int v = 0; v < writers.size(); v++) {
        for (Encoded row : encoded.get(v)) {
          if (!writers.get(v).write(writer, row.entityKey(), row.value(), row.eventMicros())) {
            skipped++;
          }
        }
      }
      writer.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(action, RedisConnections.writeFailure(redis, e), target);
    } catch (FeatureStoreException e) {
      RedisConnections.evict(redis);
      throw unavailable(action, e, target);
    } catch (RedisException e) {
      RedisConnections.evict(redis);
      throw unavailable(action, RedisConnections.writeFailure(redis, e), target);
    } finally {
      writer.close();
    }
    Map<String, Object> online = new LinkedHashMap<>();
    online.put("feature_views", views.stream().map(FeatureView::name).toList());
    online.put("keys_written", writer.written());
    online.put("keys_not_newer", writer.notNewer());
    online.put("rows_expired", skipped);
    return online;
  }

  private static FeatureStoreException unavailable(
      String action, FeatureStoreException e, Target target) {
    return new FeatureStoreException(
        e.errorCode() == ErrorCode.INVALID_ARGUMENT ? ErrorCode.UNAVAILABLE : e.errorCode(),
        action
            + ": "
            + e.getMessage()
            + (target.offline
                ? "; nothing was written offline and the online write may be partial; a retry is"
                    + " safe"
                : "; the online write may be partial; a retry is safe"),
        e);
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  /** One row of one view, encoded. */
  private record Encoded(byte[] entityKey, byte[] value, long eventMicros) {}

  private static String text(JsonNode body, String field, String action) {
    JsonNode value = body.path(field);
    if (!value.isString() || value.stringValue().isBlank()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "%s: '%s' is %s; give the name as a string",
          action,
          field,
          value.isMissingNode() ? "missing" : value.toString());
    }
    return value.stringValue();
  }

  private static Map<String, Object> reorder(Map<String, Object> answer, String first) {
    Map<String, Object> ordered = new LinkedHashMap<>();
    ordered.put(first, answer.get(first));
    answer.forEach(ordered::putIfAbsent);
    return ordered;
  }
}
