/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.SourceColumns;
import dev.featurestore.registry.parse.Location;
import dev.featurestore.registry.parse.ParsedDefinitions;
import dev.featurestore.registry.parse.SourceSchemaReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the definitions against the columns of their sources' data, where a {@link
 * SourceSchemaReader} can read it: the timestamp columns, the join key columns and every feature's
 * source column must exist with a type {@link SourceColumns} reads as the declared one.
 */
final class SourceSchemaCheck {
  private final ParsedDefinitions parsed;
  private final SourceSchemas schemas;
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private final boolean allowMissingSources;

  private SourceSchemaCheck(
      ParsedDefinitions parsed, SourceSchemas schemas, boolean allowMissingSources) {
    this.parsed = parsed;
    this.schemas = schemas;
    this.allowMissingSources = allowMissingSources;
  }

  /** The outcome: problems (errors) and notes (what could not be checked). */
  record Result(List<Problem> problems, List<String> notes) {}

  /**
   * Checks every source whose schema was read, and the unfinished ones (not definitions, but their
   * views' columns can be checked). A source with nothing at its path is an error, or a note with
   * {@code allowMissingSources}.
   */
  static Result check(
      ParsedDefinitions parsed,
      List<ParquetSource> unfinishedSources,
      SourceSchemas schemas,
      boolean allowMissingSources) {
    SourceSchemaCheck check = new SourceSchemaCheck(parsed, schemas, allowMissingSources);
    if (!schemas.hasReaders()) {
      if (!parsed.definitions().sources().isEmpty()) {
        check.notes.add(
            "No source schema reader on the class path: source columns were not checked"
                + " (the offline module provides one).");
      }
    } else {
      for (ParquetSource source : parsed.definitions().sources()) {
        check.source(source);
      }
      for (ParquetSource source : unfinishedSources) {
        check.source(source);
      }
    }
    // In file and line order, as the parser's problems are: sources are checked by name.
    check.problems.sort(
        Comparator.comparing(Problem::file)
            .thenComparingInt(Problem::line)
            .thenComparingInt(Problem::column));
    return new Result(List.copyOf(check.problems), List.copyOf(check.notes));
  }

  private void source(ParquetSource source) {
    Location parquetLine =
        parsed
            .location("sources." + source.name() + ".parquet")
            .orElse(new Location("featurestore.yaml", 0, 0));
    SourceSchemas.Schema schema = schemas.of(source);
    if (schema instanceof SourceSchemas.Unreadable unreadable) {
      unreadable(source, parquetLine, unreadable);
      return;
    }
    Map<String, String> columns = ((SourceSchemas.Columns) schema).columns();
    // An unfinished source has no timestamp_field (it reports that itself).
    List<SourceColumns.Use> uses =
        new ArrayList<>(
            source.timestampField().isEmpty() ? List.of() : SourceColumns.timestampUses(source));
    Definitions definitions = parsed.definitions();
    for (FeatureView view : definitions.featureViews()) {
      if (view.source().equals(source.name())) {
        uses.addAll(SourceColumns.viewUses(view, joinKeys(definitions, view), view.features()));
      }
    }
    for (SourceColumns.Problem problem : SourceColumns.check(source, columns, uses)) {
      Location at =
          parsed
              .location(sourceColumnPath(problem.use().definitionPath()))
              .orElse(new Location("featurestore.yaml", 0, 0));
      problems.add(
          new Problem(at.file(), at.line(), at.column(), problem.message(), problem.hint()));
    }
  }

  private void unreadable(
      ParquetSource source, Location parquetLine, SourceSchemas.Unreadable unreadable) {
    switch (unreadable.why()) {
      case NO_READER -> {} // noted once for all sources
      case FAILED ->
          problems.add(
              new Problem(
                  parquetLine.file(),
                  parquetLine.line(),
                  parquetLine.column(),
                  "Cannot read the schema of source '"
                      + source.name()
                      + "' ("
                      + source.path()
                      + "): "
                      + unreadable.reason(source),
                  ""));
      case NO_DATA ->
          notes.add(
              "Source '"
                  + source.name()
                  + "': no data at "
                  + source.path()
                  + " yet, its columns were not checked.");
      case MISSING -> {
        if (allowMissingSources) {
          notes.add(
              "Source '"
                  + source.name()
                  + "': nothing at "
                  + source.path()
                  + " yet (--allow-missing-sources), its columns were not checked.");
        } else {
          problems.add(
              new Problem(
                  parquetLine.file(),
                  parquetLine.line(),
                  parquetLine.column(),
                  "Cannot find source '"
                      + source.name()
                      + "': nothing exists at "
                      + source.path()
                      + " ("
                      + unreadable.location()
                      + ")",
                  "check the parquet: path, or pass --allow-missing-sources when its data is"
                      + " written later"));
        }
      }
    }
  }

  /**
   * The join keys of a view's entities that parsed: all of them for valid definitions ({@link
   * Definitions#joinKeysOf}); an unknown or broken entity is reported by the parser.
   */
  private static List<JoinKey> joinKeys(Definitions definitions, FeatureView view) {
    return view.entities().stream()
        .map(definitions::entity)
        .flatMap(Optional::stream)
        .flatMap(e -> e.joinKeys().stream())
        .toList();
  }

  /** A feature's problem is shown at its {@code source_column:} when it has one, else its type. */
  private String sourceColumnPath(String definitionPath) {
    if (definitionPath.endsWith(".type")) {
      String sourceColumn =
          definitionPath.substring(0, definitionPath.length() - ".type".length())
              + ".source_column";
      if (parsed.locations().containsKey(sourceColumn)) {
        return sourceColumn;
      }
    }
    return definitionPath;
  }
}
