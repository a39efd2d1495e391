/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.offlinestore.append.ParquetAppender;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.snapshot.ServingSnapshot;
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
import dev.featurestore.registry.repo.FeatureRepo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** The target a {@code to} field names; any JSON value that is none is a user error. */
    static Target of(JsonNode to) {
      for (Target target : values()) {
        if (to.isString() && target.wire.equals(to.stringValue())) {
          return target;
        }
      }
      throw new FeatureStoreException(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot push: 'to' is "
              + to
              + "; use \"online\" (the default), \"offline\" or \"online_and_offline\"");
    }
  }

  private final RegistryWatcher registry;
  private final FeatureRepo repo;
  private final OnlinePush online;
  private final PushProperties properties;
  private final PushMetrics metrics;

  PushService(
      RegistryWatcher registry,
      FeatureRepo repo,
      RedisConfig redis,
      PushProperties properties,
      PushMetrics metrics,
      Clock clock) {
    this.registry = registry;
    this.repo = repo;
    this.online = new OnlinePush(redis, properties.redisTimeout(), clock);
    this.properties = properties;
    this.metrics = metrics;
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
      Target target = to.isMissingNode() || to.isNull() ? Target.ONLINE : Target.of(to);
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
      if (view.isAggregated()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "%s: it is aggregated: its tiles are written by 'featurestore materialize' and by"
                + " pushes to its source '%s' (POST /push)",
            action,
            view.source());
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
      answer.put(
          "online", online.write(action, snapshot, source, onlineViews, frame, target.offline));
    }
    if (offline.isPresent()) {
      Path file;
      try {
        file = offline.get().commit();
      } catch (FeatureStoreException e) {
        throw new FeatureStoreException(
            e.errorCode(),
            e.getMessage()
                + (!target.online
                    ? "; nothing was written"
                    : onlineViews.stream().anyMatch(FeatureView::isAggregated)
                        // Pushed again online, the rows would count twice in the tiles.
                        ? "; the rows were written online (views "
                            + onlineViews.stream().map(FeatureView::name).toList()
                            + ") but not offline; push them again with \"to\": \"offline\""
                        : "; the rows were written online (views "
                            + onlineViews.stream().map(FeatureView::name).toList()
                            + ") but not offline; a retry is safe"),
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
      if (!view.isAggregated()) {
        for (Feature feature : view.features()) {
          needed.putIfAbsent(
              feature.sourceColumn(), new PushFrame.Needed(feature.type(), true, true, by));
        }
      } else {
        // The columns its tiles aggregate (its features are the aggregations' outputs), of the
        // types its aggregations declare or were read with.
        TileLayout layout = TileLayout.of(view);
        for (int i = 0; i < layout.columns().size(); i++) {
          needed.putIfAbsent(
              layout.columns().get(i),
              new PushFrame.Needed(layout.columnTypes().get(i), true, true, by));
        }
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
