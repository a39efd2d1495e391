/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
 * @param untypedAggregations the aggregations with a {@code column:} but no {@code type:}, in file
 *     order: not yet among their views' aggregations in {@code parsed}; {@code plan} and {@code
 *     apply} read their types from the sources ({@link #withColumnTypes})
 * @param fileProblems files that could not be read or are not valid YAML
 * @param problems every other problem
 */
public record ParseResult(
    ParsedDefinitions parsed,
    List<ParquetSource> unfinishedSources,
    List<UntypedAggregation> untypedAggregations,
    List<Problem> fileProblems,
    List<Problem> problems) {
  private static final Comparator<Problem> ORDER =
      Comparator.comparing(Problem::file)
          .thenComparingInt(Problem::line)
          .thenComparingInt(Problem::column);

  public ParseResult {
    requireNonNull(parsed, "parsed is null");
    unfinishedSources = List.copyOf(requireNonNull(unfinishedSources, "unfinishedSources is null"));
    untypedAggregations =
        List.copyOf(requireNonNull(untypedAggregations, "untypedAggregations is null"));
    fileProblems = List.copyOf(requireNonNull(fileProblems, "fileProblems is null"));
    problems = List.copyOf(requireNonNull(problems, "problems is null"));
  }

  /** Returns this result with more problems, found by a later check. */
  public ParseResult withProblems(List<Problem> more) {
    List<Problem> all = new ArrayList<>(problems);
    all.addAll(more);
    return new ParseResult(parsed, unfinishedSources, untypedAggregations, fileProblems, all);
  }

  /**
   * Returns this result with the column types of its untyped aggregations as read from their
   * sources: each one in {@code types} joins its view's aggregations at its declared position; for
   * each of the others, {@code problems} say why its type could not be read (none is needed when
   * another problem already explains it: its view's source is unknown). The result has no untyped
   * aggregations left.
   *
   * @throws IllegalArgumentException when {@code types} has an aggregation that is not this
   *     result's, or an aggregation is left out without any problem
   */
  public ParseResult withColumnTypes(
      Map<UntypedAggregation, ValueType> types, List<Problem> problems) {
    List<Problem> all = new ArrayList<>(this.problems);
    all.addAll(problems);
    // Never definitions that silently lack an aggregation: one without a type has a problem, or
    // follows from one (its view's source is unknown, a file did not parse).
    if (!untypedAggregations.containsAll(types.keySet())
        || (types.size() < untypedAggregations.size() && all.isEmpty() && fileProblems.isEmpty())) {
      throw new IllegalArgumentException(
          "Column types " + types + " do not match the untyped aggregations");
    }
    Definitions definitions = parsed.definitions();
    List<FeatureView> views = new ArrayList<>();
    for (FeatureView view : definitions.featureViews()) {
      List<UntypedAggregation> typed =
          untypedAggregations.stream()
              .filter(a -> a.view().equals(view.name()) && types.containsKey(a))
              .sorted(Comparator.comparingInt(UntypedAggregation::position))
              .toList();
      if (typed.isEmpty() || view.aggregations().isEmpty()) {
        views.add(view);
        continue;
      }
      Aggregations declared = view.aggregations().get();
      List<Aggregation> aggregations = new ArrayList<>(declared.aggregations());
      for (UntypedAggregation a : typed) {
        // Below its position only when an aggregation before it has no type (then a problem).
        aggregations.add(
            Math.min(a.position(), aggregations.size()), a.withColumnType(types.get(a)));
      }
      views.add(
          view.withAggregations(Optional.of(new Aggregations(declared.interval(), aggregations))));
    }
    Definitions typedDefinitions =
        new Definitions(
            definitions.project(),
            definitions.entities(),
            definitions.sources(),
            views,
            definitions.featureServices());
    return new ParseResult(
        new ParsedDefinitions(typedDefinitions, parsed.locations()),
        unfinishedSources,
        List.of(),
        fileProblems,
        all);
  }

  /**
   * Returns the definitions when there is no problem and no untyped aggregation is left (each is a
   * problem here: only {@code plan} and {@code apply} read their types, see {@link
   * #withColumnTypes}).
   *
   * @throws DefinitionException with every problem: files that could not be read or parsed first (a
   *     syntax error or a tab makes most other problems meaningless), then the rest; each group in
   *     file, line and column order
   */
  public ParsedDefinitions orThrow() {
    if (fileProblems.isEmpty() && problems.isEmpty() && untypedAggregations.isEmpty()) {
      return parsed;
    }
    List<Problem> ordered = new ArrayList<>();
    fileProblems.stream().sorted(ORDER).forEach(ordered::add);
    Stream.concat(problems.stream(), untypedAggregations.stream().map(ParseResult::notRead))
        .sorted(ORDER)
        .forEach(ordered::add);
    throw new DefinitionException(ordered);
  }

  /** An untyped aggregation's type is read by plan and apply only (Planner), never made up. */
  private static Problem notRead(UntypedAggregation aggregation) {
    Location at = aggregation.location();
    return new Problem(
        at.file(),
        at.line(),
        at.column(),
        aggregation.typeOfColumn()
            + " is read from the source's schema by plan and apply, not when only parsing",
        "run plan or apply, or " + aggregation.addTypeHint());
  }
}
