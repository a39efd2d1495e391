/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.definition.ParquetSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything read from a repo's definition files: the objects that parsed, and every problem found.
 * Later checks ({@code plan}'s source schema check) run on the objects that parsed even when other
 * objects have problems, so that one run reports every problem.
 *
 * @param parsed the objects that parsed (all of them when there are no problems), with where each
 *     part was written; an object with a problem of its own may be among them, holding the parts
 *     that parsed (a view without the feature whose type is unknown)
 * @param unfinishedSources sources that are not definitions (no {@code timestamp_field}, then
 *     empty, or an invalid name) but whose data the columns of their views can still be checked
 *     against
 * @param fileProblems files that could not be read or are not valid YAML
 * @param problems every other problem
 */
public record ParseResult(
    ParsedDefinitions parsed,
    List<ParquetSource> unfinishedSources,
    List<Problem> fileProblems,
    List<Problem> problems) {
  private static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::file)
          .thenComparingInt(Problem::line)
          .thenComparingInt(Problem::column);

  public ParseResult {
    requireNonNull(parsed, "parsed is null");
    unfinishedSources = List.copyOf(requireNonNull(unfinishedSources, "unfinishedSources is null"));
    fileProblems = List.copyOf(requireNonNull(fileProblems, "fileProblems is null"));
    problems = List.copyOf(requireNonNull(problems, "problems is null"));
  }

  /** Returns this result with more problems, found by a later check. */
  public ParseResult withProblems(List<Problem> more) {
    List<Problem> all = new ArrayList<>(problems);
    all.addAll(more);
    return new ParseResult(parsed, unfinishedSources, fileProblems, all);
  }

  /**
   * Returns the definitions when there is no problem.
   *
   * @throws DefinitionException with every problem: files that could not be read or parsed first (a
   *     syntax error or a tab makes most other problems meaningless), then the rest; each group in
   *     file, line and column order
   */
  public ParsedDefinitions orThrow() {
    if (fileProblems.isEmpty() && problems.isEmpty()) {
      return parsed;
    }
    List<Problem> ordered = new ArrayList<>();
    fileProblems.stream().sorted(ORDER).forEach(ordered::add);
    problems.stream().sorted(ORDER).forEach(ordered::add);
    throw new DefinitionException(ordered);
  }
}
