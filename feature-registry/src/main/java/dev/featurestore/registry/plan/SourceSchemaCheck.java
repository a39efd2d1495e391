/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.parse.Location;
import dev.featurestore.registry.parse.ParsedDefinitions;
import dev.featurestore.registry.parse.SourceSchemaReader;
import dev.featurestore.registry.repo.FeatureRepo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Checks the definitions against the columns of their sources' data, where a {@link
 * SourceSchemaReader} can read it: the timestamp columns, the join key columns and every feature's
 * source column must exist with the declared type.
 */
final class SourceSchemaCheck {
  private final FeatureRepo repo;
  private final ParsedDefinitions parsed;
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private SourceSchemaCheck(FeatureRepo repo, ParsedDefinitions parsed) {
    this.repo = repo;
    this.parsed = parsed;
  }

  /** The outcome: problems (errors) and notes (what could not be checked). */
  record Result(List<Problem> problems, List<String> notes) {}

  /** Returns the readers {@link ServiceLoader} finds on the class path. */
  static List<SourceSchemaReader> installedReaders() {
    List<SourceSchemaReader> readers = new ArrayList<>();
    ServiceLoader.load(SourceSchemaReader.class).forEach(readers::add);
    return readers;
  }

  static Result check(
      FeatureRepo repo, ParsedDefinitions parsed, List<SourceSchemaReader> readers) {
    SourceSchemaCheck check = new SourceSchemaCheck(repo, parsed);
    if (readers.isEmpty()) {
      if (!parsed.definitions().sources().isEmpty()) {
        check.notes.add(
            "No source schema reader on the class path: source columns were not checked"
                + " (the offline module provides one).");
      }
    } else {
      for (ParquetSource source : parsed.definitions().sources()) {
        check.source(source, readers);
      }
    }
    return new Result(List.copyOf(check.problems), List.copyOf(check.notes));
  }

  private void source(ParquetSource source, List<SourceSchemaReader> readers) {
    URI location = repo.resolve(source.path());
    Optional<Map<String, String>> columns;
    try {
      columns =
          readers.stream()
              .map(reader -> reader.read(location))
              .flatMap(Optional::stream)
              .findFirst();
    } catch (RuntimeException e) {
      Location at =
          parsed
              .location("sources." + source.name() + ".parquet")
              .orElse(new Location("featurestore.yaml", 0, 0));
      problems.add(
          new Problem(
              at.file(),
              at.line(),
              at.column(),
              "Cannot read the schema of source '"
                  + source.name()
                  + "' ("
                  + source.path()
                  + "): "
                  + e.getMessage(),
              ""));
      return;
    }
    if (columns.isEmpty()) {
      notes.add(
          "Source '"
              + source.name()
              + "': no data at "
              + source.path()
              + " yet, its columns were not checked.");
      return;
    }
    String what = "source '" + source.name() + "' (" + source.path() + ")";
    String prefix = "sources." + source.name();
    column(
        columns.get(),
        what,
        source.timestampField(),
        "timestamp",
        "its timestamp_field",
        prefix + ".timestamp_field");
    source
        .createdTimestampField()
        .ifPresent(
            c ->
                column(
                    columns.get(),
                    what,
                    c,
                    "timestamp",
                    "its created_timestamp_field",
                    prefix + ".created_timestamp_field"));
    Definitions definitions = parsed.definitions();
    for (FeatureView view : definitions.featureViews()) {
      if (!view.source().equals(source.name())) {
        continue;
      }
      String viewPath = "feature_views." + view.name();
      for (Entity entity : definitions.entitiesOf(view)) {
        for (JoinKey key : entity.joinKeys()) {
          column(
              columns.get(),
              what,
              key.name(),
              key.type().typeName(),
              "join key '" + key.name() + "' of feature view '" + view.name() + "'",
              viewPath + ".source");
        }
      }
      for (Feature feature : view.features()) {
        String featurePath = viewPath + ".features." + feature.name();
        column(
            columns.get(),
            what,
            feature.sourceColumn(),
            feature.type().typeName(),
            "feature '" + feature.name() + "' of feature view '" + view.name() + "'",
            parsed.locations().containsKey(featurePath + ".source_column")
                ? featurePath + ".source_column"
                : featurePath + ".type");
      }
    }
  }

  private void column(
      Map<String, String> columns,
      String source,
      String column,
      String expectedType,
      String usedFor,
      String path) {
    Location location = parsed.location(path).orElse(new Location("featurestore.yaml", 0, 0));
    String actual = columns.get(column);
    if (actual == null) {
      String hint =
          Names.closest(column, columns.keySet())
              .map(c -> "did you mean '" + c + "'?")
              .orElse("columns: " + String.join(", ", columns.keySet().stream().sorted().toList()));
      problems.add(
          new Problem(
              location.file(),
              location.line(),
              location.column(),
              source + " has no column '" + column + "' for " + usedFor,
              hint));
    } else if (!actual.equals(expectedType)) {
      problems.add(
          new Problem(
              location.file(),
              location.line(),
              location.column(),
              "column '"
                  + column
                  + "' of "
                  + source
                  + " is "
                  + actual
                  + " but "
                  + usedFor
                  + " is "
                  + expectedType,
              ""));
    }
  }
}
