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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything parsed from the definition files so far, and the problems found. Objects that failed
 * to parse are left out, but their names are remembered so that references to them do not cause a
 * second, misleading problem. Likewise for a file that could not be read or is not valid YAML: a
 * reference to a name its text defines ({@code name: driver}) is a consequence of that file's
 * problem, counted against it rather than reported.
 */
final class ParsedFiles {
  private final List<Problem> problems = new ArrayList<>();
  private final List<Parsed<Entity>> entities = new ArrayList<>();
  private final List<Parsed<ParquetSource>> sources = new ArrayList<>();
  private final List<Parsed<FeatureView>> featureViews = new ArrayList<>();
  private final List<Parsed<FeatureService>> featureServices = new ArrayList<>();
  private final List<Parsed<FeatureView>> unfinishedViews = new ArrayList<>();
  private final List<Parsed<ParquetSource>> unfinishedSources = new ArrayList<>();
  private final Map<String, Set<String>> broken = new HashMap<>();
  private final List<UnparsedFile> unparsedFiles = new ArrayList<>();
  private final Map<String, Declared> viewFeatures = new HashMap<>();
  private final Map<String, Declared> entityJoinKeys = new HashMap<>();
  // By identity: a duplicate view (dropped by the validator) may equal the one it duplicates.
  private final Map<Parsed<FeatureView>, List<UntypedAggregation>> untypedAggregations =
      new IdentityHashMap<>();

  /**
   * The names of an object's parts as written (a view's features, an entity's join keys), whether
   * or not the object or the parts parsed, so that a reference to a part is checked even when its
   * object has problems of its own.
   *
   * @param names the names, in file order
   * @param complete false when a part has no readable name or the parts are not a list/mapping:
   *     then any name may be meant, and a reference to an undeclared one is not reported
   */
  record Declared(Set<String> names, boolean complete) {
    Declared {
      names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }
  }

  /** A definition file that could not be read or composed as YAML, and what follows from it. */
  static final class UnparsedFile {
    private final Problem problem;
    private final String text;
    private int consequences;

    /**
     * @param problem why (a syntax error, a tab, not UTF-8)
     * @param text the file's text, empty when it could not be read
     */
    UnparsedFile(Problem problem, String text) {
      this.problem = problem;
      this.text = text;
    }

    /** Whether the text has {@code name: <name>} (plain, quoted, block or flow style). */
    boolean defines(String name) {
      return Pattern.compile(
              "(?m)\\bname\\s*:\\s*([\"']?)" + Pattern.quote(name) + "\\1\\s*(?:[,}#]|$)")
          .matcher(text)
          .find();
    }

    /** The problem, saying how many problems that follow from it are not shown. */
    Problem reported() {
      if (consequences == 0) {
        return problem;
      }
      String left =
          consequences == 1
              ? "1 problem that follows from it is not shown"
              : consequences + " problems that follow from it are not shown";
      String hint = problem.hint().isEmpty() ? left : problem.hint() + "; " + left;
      return new Problem(problem.file(), problem.line(), problem.column(), problem.message(), hint);
    }
  }

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

  /** Records a parsed view's aggregations whose column type is read from its source. */
  void untypedAggregations(Parsed<FeatureView> view, List<UntypedAggregation> untyped) {
    if (!untyped.isEmpty()) {
      untypedAggregations.put(view, List.copyOf(untyped));
    }
  }

  /** A parsed view's aggregations whose column type is read from its source; often none. */
  List<UntypedAggregation> untypedAggregations(Parsed<FeatureView> view) {
    return untypedAggregations.getOrDefault(view, List.of());
  }

  /**
   * Feature views without a valid name or without a source: not definitions, but what they
   * reference (entities) and their features are checked like those of the others. The name is as
   * written, the source empty when missing.
   */
  List<Parsed<FeatureView>> unfinishedViews() {
    return unfinishedViews;
  }

  /**
   * Sources with a path but without a valid name or a {@code timestamp_field} (then empty): not
   * definitions, but the columns their views read are still checked against their data.
   */
  List<Parsed<ParquetSource>> unfinishedSources() {
    return unfinishedSources;
  }

  /** The files that could not be read or composed, in the order they were met. */
  List<UnparsedFile> unparsedFiles() {
    return unparsedFiles;
  }

  /**
   * Whether a reference to an undefined name may follow from a file that did not parse (its text
   * defines the name); if so, the reference problem is counted against that file.
   */
  boolean isConsequenceOfUnparsedFile(String name) {
    for (UnparsedFile file : unparsedFiles) {
      if (file.defines(name)) {
        file.consequences++;
        return true;
      }
    }
    return false;
  }

  /** Names of objects of a kind ("entity", "feature view", ...) that failed to parse. */
  Set<String> broken(String kind) {
    return broken.computeIfAbsent(kind, k -> new HashSet<>());
  }

  /** Records the features a view declares; the first declaration of a name counts. */
  void declareFeatures(String view, Declared features) {
    viewFeatures.putIfAbsent(view, features);
  }

  /** The features a view declares as written; empty when no view of that name was read. */
  Optional<Declared> declaredFeatures(String view) {
    return Optional.ofNullable(viewFeatures.get(view));
  }

  /** Records the join keys an entity declares; the first declaration of a name counts. */
  void declareJoinKeys(String entity, Declared keys) {
    entityJoinKeys.putIfAbsent(entity, keys);
  }

  /** The join keys an entity declares as written; empty when no entity of that name was read. */
  Optional<Declared> declaredJoinKeys(String entity) {
    return Optional.ofNullable(entityJoinKeys.get(entity));
  }

  void problem(Location location, String message, String hint) {
    problems.add(new Problem(location.file(), location.line(), location.column(), message, hint));
  }
}
