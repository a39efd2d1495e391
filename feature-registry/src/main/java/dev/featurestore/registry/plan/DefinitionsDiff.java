/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureReference;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares two sets of definitions object by object and field by field, and flags the changes that
 * break consumers: a feature's type changed, a feature or view removed (naming the feature services
 * that use it), an entity's join keys changed, a view's TTL shortened, its source or entities
 * changed, online serving turned off, references removed from a feature service.
 */
public final class DefinitionsDiff {
  private static final List<String> AGGREGATION_FIELDS =
      List.of("function", "column", "type", "window", "n");

  private final Definitions before;

  private DefinitionsDiff(Definitions before) {
    this.before = before;
  }

  /**
   * Returns the changes from {@code before} (empty before the first apply) to {@code after}:
   * entities, sources, feature views, then feature services, each sorted by name.
   */
  public static List<Change> diff(Optional<Definitions> before, Definitions after) {
    Definitions old =
        before.orElse(new Definitions(after.project(), List.of(), List.of(), List.of(), List.of()));
    DefinitionsDiff diff = new DefinitionsDiff(old);
    List<Change> changes = new ArrayList<>();
    diff.compare(
        ObjectKind.ENTITY, old.entities(), after.entities(), Entity::name, diff::fields, changes);
    diff.compare(
        ObjectKind.SOURCE,
        old.sources(),
        after.sources(),
        ParquetSource::name,
        diff::fields,
        changes);
    diff.compare(
        ObjectKind.FEATURE_VIEW,
        old.featureViews(),
        after.featureViews(),
        FeatureView::name,
        diff::fields,
        changes);
    diff.compare(
        ObjectKind.FEATURE_SERVICE,
        old.featureServices(),
        after.featureServices(),
        FeatureService::name,
        diff::fields,
        changes);
    return changes;
  }

  private <T> void compare(
      ObjectKind kind,
      List<T> oldItems,
      List<T> newItems,
      Function<T, String> name,
      Function<T, Map<String, String>> fields,
      List<Change> into) {
    Map<String, T> olds = byName(oldItems, name);
    Map<String, T> news = byName(newItems, name);
    TreeSet<String> names = new TreeSet<>(olds.keySet());
    names.addAll(news.keySet());
    for (String itemName : names) {
      T old = olds.get(itemName);
      T now = news.get(itemName);
      if (old == null) {
        into.add(new Change(Change.Type.ADDED, kind, itemName, List.of(), Optional.empty()));
      } else if (now == null) {
        into.add(
            new Change(Change.Type.REMOVED, kind, itemName, List.of(), removed(kind, itemName)));
      } else if (!old.equals(now)) {
        List<FieldChange> changed =
            new ArrayList<>(
                fieldChanges(
                    kind.key() + "." + itemName, fields.apply(old), fields.apply(now), old, now));
        if (changed.isEmpty() && old instanceof FeatureView oldView) {
          // Only the order of the features differs (it is part of the view's Avro schema).
          changed.add(
              new FieldChange(
                  kind.key() + "." + itemName + ".features",
                  Optional.of(oldView.featureNames().toString()),
                  Optional.of(((FeatureView) now).featureNames().toString()),
                  Optional.empty()));
        }
        if (!changed.isEmpty()) {
          into.add(new Change(Change.Type.CHANGED, kind, itemName, changed, Optional.empty()));
        }
      }
    }
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    Map<String, T> map = new LinkedHashMap<>();
    items.forEach(i -> map.put(name.apply(i), i));
    return map;
  }

  private List<FieldChange> fieldChanges(
      String prefix,
      Map<String, String> old,
      Map<String, String> now,
      Object oldItem,
      Object newItem) {
    TreeSet<String> keys = new TreeSet<>(old.keySet());
    keys.addAll(now.keySet());
    List<FieldChange> changes = new ArrayList<>();
    for (String key : keys) {
      Optional<String> before = Optional.ofNullable(old.get(key));
      Optional<String> after = Optional.ofNullable(now.get(key));
      if (before.equals(after) || insideAddedOrRemoved(key, old, now)) {
        continue;
      }
      changes.add(
          new FieldChange(
              prefix + "." + key, before, after, breaking(key, before, after, oldItem, newItem)));
    }
    return changes;
  }

  /** A feature's own fields are not listed when the whole feature was added or removed. */
  private static boolean insideAddedOrRemoved(
      String key, Map<String, String> old, Map<String, String> now) {
    int dot = key.lastIndexOf('.');
    while (dot > 0) {
      String parent = key.substring(0, dot);
      if (old.containsKey(parent) != now.containsKey(parent)) {
        return true;
      }
      dot = parent.lastIndexOf('.');
    }
    return false;
  }

  private Optional<String> breaking(
      String key, Optional<String> before, Optional<String> after, Object oldItem, Object newItem) {
    if (oldItem instanceof Entity && key.equals("join_keys")) {
      return Optional.of("join keys changed: online keys and training joins change");
    }
    if (oldItem instanceof FeatureService && key.equals("features")) {
      List<FeatureReference> removed = new ArrayList<>(((FeatureService) oldItem).features());
      removed.removeAll(((FeatureService) newItem).features());
      return removed.isEmpty()
          ? Optional.empty()
          : Optional.of(
              "removes "
                  + removed.stream().map(Object::toString).collect(Collectors.joining(", "))
                  + " from the service's output");
    }
    if (!(oldItem instanceof FeatureView oldView)) {
      return Optional.empty();
    }
    FeatureView newView = (FeatureView) newItem;
    if (key.equals("ttl") && isShorter(newView, oldView)) {
      return Optional.of("TTL shortened: values expire sooner");
    }
    if (key.equals("source")) {
      return Optional.of("source changed: stored values came from the old source");
    }
    if (key.equals("entities")) {
      return Optional.of("entities changed: the view's key changes");
    }
    if (key.equals("online") && !newView.online()) {
      return Optional.of("no longer served online");
    }
    if (key.equals("aggregation_interval") && before.isPresent() && after.isPresent()) {
      return Optional.of(
          "aggregation interval changed: the stored tiles are of the old size; materialize the"
              + " view again");
    }
    for (String field : AGGREGATION_FIELDS) {
      if (key.startsWith("features.") && key.endsWith("." + field)) {
        String feature = key.substring("features.".length(), key.length() - field.length() - 1);
        if (newView.aggregations().flatMap(a -> a.aggregation(feature)).isPresent()
            && oldView.aggregations().flatMap(a -> a.aggregation(feature)).isPresent()) {
          return Optional.of(
              "aggregation "
                  + field
                  + " changed: stored tiles and values hold the old aggregation"
                  + usedBy(oldView.name(), feature));
        }
      }
    }
    if (key.startsWith("features.") && key.indexOf('.', "features.".length()) < 0) {
      String feature = key.substring("features.".length());
      if (after.isEmpty()) {
        return Optional.of("feature removed" + usedBy(oldView.name(), feature));
      }
      if (before.isPresent()) {
        return Optional.of("feature type changed" + usedBy(oldView.name(), feature));
      }
    }
    return Optional.empty();
  }

  private static boolean isShorter(FeatureView now, FeatureView old) {
    if (now.ttl().isZero()) {
      return false;
    }
    return old.ttl().isZero() || now.ttl().compareTo(old.ttl()) < 0;
  }

  private Optional<String> removed(ObjectKind kind, String name) {
    if (kind == ObjectKind.FEATURE_VIEW) {
      return Optional.of("feature view removed" + usedBy(name, null));
    }
    if (kind == ObjectKind.FEATURE_SERVICE) {
      return Optional.of("feature service removed: clients requesting it will fail");
    }
    return Optional.empty();
  }

  /**
   * Returns {@code "; used by feature service 'a', 'b'"} for the services of the old definitions
   * that read the feature (or, with a null feature, any feature of the view), else a note that no
   * service uses it.
   */
  private String usedBy(String view, String feature) {
    List<String> services =
        before.featureServices().stream()
            .filter(
                s ->
                    s.features().stream()
                        .anyMatch(
                            r ->
                                r.view().equals(view)
                                    && (feature == null
                                        || r.isWildcard()
                                        || r.feature().equals(feature))))
            .map(FeatureService::name)
            .toList();
    if (services.isEmpty()) {
      return " (no feature service uses it)";
    }
    return "; used by feature service"
        + (services.size() > 1 ? "s " : " ")
        + services.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
  }

  private Map<String, String> fields(Entity entity) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(
        "join_keys",
        entity.joinKeys().stream()
            .map(k -> k.name() + ": " + k.type())
            .collect(Collectors.joining(", ", "{", "}")));
    optional(fields, "description", entity.description());
    return fields;
  }

  private Map<String, String> fields(ParquetSource source) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("parquet", source.path());
    fields.put("timestamp_field", source.timestampField());
    source.createdTimestampField().ifPresent(c -> fields.put("created_timestamp_field", c));
    if (source.acceptsPushes()) {
      fields.put("push", "true");
    }
    optional(fields, "description", source.description());
    return fields;
  }

  private Map<String, String> fields(FeatureView view) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("entities", view.entities().toString());
    fields.put("source", view.source());
    fields.put("ttl", Durations.format(view.ttl()));
    fields.put("online", String.valueOf(view.online()));
    for (Feature feature : view.features()) {
      String prefix = "features." + feature.name();
      fields.put(prefix, feature.type().typeName());
      Optional<Aggregation> aggregation =
          view.aggregations().flatMap(a -> a.aggregation(feature.name()));
      if (aggregation.isPresent()) {
        Aggregation a = aggregation.get();
        fields.put(prefix + ".function", a.function().functionName());
        a.column().ifPresent(c -> fields.put(prefix + ".column", c));
        // The column's type, declared or read from the source: a source whose column changed type
        // changes it at the next plan.
        a.columnType().ifPresent(t -> fields.put(prefix + ".type", t.typeName()));
        fields.put(prefix + ".window", Durations.format(a.window()));
        if (a.n() != 0) {
          fields.put(prefix + ".n", String.valueOf(a.n()));
        }
      } else if (!feature.sourceColumn().equals(feature.name())) {
        fields.put(prefix + ".source_column", feature.sourceColumn());
      }
      optional(fields, prefix + ".description", feature.description());
      // A check is one field each: a changed limit is listed as such, and never breaking (it
      // changes what a materialization accepts, not what consumers read).
      FeatureChecks checks = feature.checks();
      checks.min().ifPresent(v -> fields.put(prefix + ".checks.min", FeatureChecks.number(v)));
      checks.max().ifPresent(v -> fields.put(prefix + ".checks.max", FeatureChecks.number(v)));
      checks
          .maxNullFraction()
          .ifPresent(
              v -> fields.put(prefix + ".checks.max_null_fraction", FeatureChecks.number(v)));
      if (!checks.allowed().isEmpty()) {
        fields.put(prefix + ".checks.allowed", checks.allowed().toString());
      }
    }
    view.aggregations()
        .ifPresent(a -> fields.put("aggregation_interval", Durations.format(a.interval())));
    view.tags().forEach((k, v) -> fields.put("tags." + k, v));
    optional(fields, "description", view.description());
    view.freshness().ifPresent(f -> fields.put("freshness", Durations.format(f)));
    return fields;
  }

  private Map<String, String> fields(FeatureService service) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("features", service.features().toString());
    optional(fields, "description", service.description());
    return fields;
  }

  private static void optional(Map<String, String> fields, String key, String value) {
    if (!value.isEmpty()) {
      fields.put(key, value);
    }
  }
}
