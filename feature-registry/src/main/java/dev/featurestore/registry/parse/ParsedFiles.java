/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything parsed from the definition files so far, and the problems found. Objects that failed
 * to parse are left out, but their names are remembered so that references to them do not cause a
 * second, misleading problem.
 */
final class ParsedFiles {
  private final List<Problem> problems = new ArrayList<>();
  private final List<Parsed<Entity>> entities = new ArrayList<>();
  private final List<Parsed<ParquetSource>> sources = new ArrayList<>();
  private final List<Parsed<FeatureView>> featureViews = new ArrayList<>();
  private final List<Parsed<FeatureService>> featureServices = new ArrayList<>();
  private final Map<String, Set<String>> broken = new HashMap<>();

  List<Problem> problems() {
    return problems;
  }

  List<Parsed<Entity>> entities() {
    return entities;
  }

  List<Parsed<ParquetSource>> sources() {
    return sources;
  }

  List<Parsed<FeatureView>> featureViews() {
    return featureViews;
  }

  List<Parsed<FeatureService>> featureServices() {
    return featureServices;
  }

  /** Names of objects of a kind ("entity", "feature view", ...) that failed to parse. */
  Set<String> broken(String kind) {
    return broken.computeIfAbsent(kind, k -> new HashSet<>());
  }

  void problem(Location location, String message, String hint) {
    problems.add(new Problem(location.file(), location.line(), location.column(), message, hint));
  }
}
