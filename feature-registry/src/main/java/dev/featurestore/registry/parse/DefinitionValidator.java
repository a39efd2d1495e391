/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.FeatureReference;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.parse.ParsedFiles.Declared;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that need every file: duplicate names, references between objects, join key types. Drops
 * duplicates (keeping the first) so that later stages see unique names.
 */
final class DefinitionValidator {
  private final ParsedFiles parsed;

  private DefinitionValidator(ParsedFiles parsed) {
    this.parsed = parsed;
  }

  static void validate(ParsedFiles parsed) {
    new DefinitionValidator(parsed).run();
  }

  private void run() {
    Map<String, Parsed<Entity>> entities = unique(parsed.entities(), "entity", Entity::name);
    Map<String, Parsed<?>> sources =
        new HashMap<>(unique(parsed.sources(), "source", s -> s.name()));
    Map<String, Parsed<FeatureView>> views =
        unique(parsed.featureViews(), "feature view", FeatureView::name);
    unique(parsed.featureServices(), "feature service", FeatureService::name);
    joinKeyTypes(entities);
    for (Parsed<FeatureView> view : parsed.featureViews()) {
      featureView(view, entities, sources);
    }
    for (Parsed<FeatureView> view : parsed.unfinishedViews()) {
      featureView(view, entities, sources);
    }
    for (Parsed<FeatureService> service : parsed.featureServices()) {
      featureService(service, views);
    }
  }

  /** Reports and removes every object whose name was already defined. */
  private <T> Map<String, Parsed<T>> unique(
      List<Parsed<T>> items, String kind, Function<T, String> name) {
    Map<String, Parsed<T>> first = new LinkedHashMap<>();
    List<Parsed<T>> kept = new ArrayList<>();
    for (Parsed<T> item : items) {
      String itemName = name.apply(item.value());
      Parsed<T> previous = first.putIfAbsent(itemName, item);
      if (previous == null) {
        kept.add(item);
      } else {
        parsed.problem(
            item.location(),
            "duplicate " + kind + " '" + itemName + "'",
            "first defined at " + previous.location());
      }
    }
    items.clear();
    items.addAll(kept);
    return first;
  }

  private void joinKeyTypes(Map<String, Parsed<Entity>> entities) {
    Map<String, Parsed<Entity>> firstByKey = new HashMap<>();
    for (Parsed<Entity> entity : entities.values()) {
      for (JoinKey key : entity.value().joinKeys()) {
        Parsed<Entity> first = firstByKey.putIfAbsent(key.name(), entity);
        if (first == null) {
          continue;
        }
        JoinKey firstKey =
            first.value().joinKeys().stream()
                .filter(k -> k.name().equals(key.name()))
                .findFirst()
                .orElseThrow();
        if (firstKey.type() != key.type()) {
          parsed.problem(
              entity.at("join_keys." + key.name()),
              "join key '"
                  + key.name()
                  + "' is "
                  + key.type()
                  + " in entity '"
                  + entity.value().name()
                  + "' but "
                  + firstKey.type()
                  + " in entity '"
                  + first.value().name()
                  + "'",
              "declared at " + first.at("join_keys." + key.name()));
        }
      }
    }
  }

  private void featureView(
      Parsed<FeatureView> parsedView,
      Map<String, Parsed<Entity>> entities,
      Map<String, Parsed<?>> sources) {
    FeatureView view = parsedView.value();
    String what = "feature view '" + view.name() + "'";
    Map<String, String> joinKeyOwner = new HashMap<>();
    for (int i = 0; i < view.entities().size(); i++) {
      String entityName = view.entities().get(i);
      Parsed<Entity> entity = entities.get(entityName);
      if (entity == null) {
        if (!parsed.broken("entity").contains(entityName)
            && !parsed.isConsequenceOfUnparsedFile(entityName)) {
          parsed.problem(
              parsedView.at("entities[" + i + "]"),
              what + " references unknown entity '" + entityName + "'",
              hint(entityName, entities.keySet()));
        }
        continue;
      }
      // The keys as written: a key with a bad type is still the view's key (the entity reports it).
      Collection<String> keys =
          parsed
              .declaredJoinKeys(entityName)
              .<Collection<String>>map(Declared::names)
              .orElse(entity.value().joinKeyNames());
      for (String key : keys) {
        String owner = joinKeyOwner.putIfAbsent(key, entityName);
        if (owner != null) {
          parsed.problem(
              parsedView.at("entities[" + i + "]"),
              what
                  + " has join key '"
                  + key
                  + "' twice (entities '"
                  + owner
                  + "' and '"
                  + entityName
                  + "')",
              "");
        }
      }
    }
    if (!view.source().isEmpty()
        && !sources.containsKey(view.source())
        && !parsed.broken("source").contains(view.source())
        && !parsed.isConsequenceOfUnparsedFile(view.source())) {
      parsed.problem(
          parsedView.at("source"),
          what + " references unknown source '" + view.source() + "'",
          hint(view.source(), sources.keySet()));
    }
    List<String> featureNames = new ArrayList<>(view.featureNames());
    parsed.untypedAggregations(parsedView).forEach(a -> featureNames.add(a.name()));
    for (String feature : featureNames) {
      if (joinKeyOwner.containsKey(feature)) {
        parsed.problem(
            parsedView.at("features." + feature),
            "feature '"
                + feature
                + "' of "
                + what
                + " has the name of a join key of entity '"
                + joinKeyOwner.get(feature)
                + "'",
            "rename the feature, or read the column under another name with source_column");
      }
    }
  }

  private void featureService(
      Parsed<FeatureService> parsedService, Map<String, Parsed<FeatureView>> views) {
    FeatureService service = parsedService.value();
    String what = "feature service '" + service.name() + "'";
    for (int i = 0; i < service.features().size(); i++) {
      FeatureReference reference = service.features().get(i);
      Location location = parsedService.at("features[" + i + "]");
      Parsed<FeatureView> view = views.get(reference.view());
      // Features as written, also of a view with problems of its own (which it reports itself):
      // a reference to a feature the view does not declare is wrong whatever else is.
      Optional<Declared> declared = parsed.declaredFeatures(reference.view());
      if (view == null && declared.isEmpty()) {
        if (!parsed.broken("feature view").contains(reference.view())
            && !parsed.isConsequenceOfUnparsedFile(reference.view())) {
          parsed.problem(
              location,
              what + " references unknown feature view '" + reference.view() + "'",
              hint(reference.view(), views.keySet()));
        }
        continue;
      }
      Declared features =
          declared.orElseGet(() -> new Declared(Set.copyOf(view.value().featureNames()), true));
      if (!reference.isWildcard()
          && !features.names().contains(reference.feature())
          && features.complete()) {
        parsed.problem(
            location,
            what
                + " references unknown feature '"
                + reference.feature()
                + "' of feature view '"
                + reference.view()
                + "'",
            hint(reference.feature(), features.names()));
      }
    }
  }

  private static String hint(String name, Collection<String> candidates) {
    Optional<String> closest = Names.closest(name, candidates);
    if (closest.isPresent()) {
      return "did you mean '" + closest.get() + "'?";
    }
    if (candidates.isEmpty()) {
      return "none is defined";
    }
    return candidates.size() > 10
        ? ""
        : "defined: " + String.join(", ", candidates.stream().sorted().toList());
  }
}
