/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.SourceColumns;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.parse.Location;
import dev.featurestore.registry.parse.ParseResult;
import dev.featurestore.registry.parse.UntypedAggregation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Takes the column type of each aggregation written without {@code type:} from its view's source's
 * schema, as {@code plan} and {@code apply} read it ({@link SourceSchemas}), so that the stored
 * version holds every aggregation with an explicit type. Each aggregation whose type cannot be read
 * is a problem at its {@code column:}, even with {@code --allow-missing-sources}: the source cannot
 * be read, the column is missing, its type has no definition type name, or the function does not
 * accept it (worded as for a declared type).
 */
final class AggregationTypes {
  private AggregationTypes() {}

  /**
   * The outcome.
   *
   * @param read the parse result with the types filled in and a problem for each that could not be
   * @param notes for {@code plan}'s output, one per view: which column types were read from where
   */
  record Result(ParseResult read, List<String> notes) {}

  /**
   * Returns {@code read} with the types of its untyped aggregations filled in, and a problem for
   * each whose type cannot be read.
   *
   * @param schemas the schemas of {@code read}'s sources (its definitions' and unfinished ones)
   */
  static Result resolve(ParseResult read, SourceSchemas schemas) {
    if (read.untypedAggregations().isEmpty()) {
      return new Result(read, List.of());
    }
    Map<UntypedAggregation, ValueType> types = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (UntypedAggregation aggregation : read.untypedAggregations()) {
      Optional<ParquetSource> source = sourceOf(read, aggregation);
      if (source.isEmpty()) {
        continue; // an unknown or broken source: reported where the view names it
      }
      String problem;
      String hint;
      if (schemas.of(source.get()) instanceof SourceSchemas.Unreadable unreadable) {
        problem =
            aggregation.typeOfColumn()
                + " comes from source '"
                + source.get().name()
                + "', which cannot be read ("
                + unreadable.reason(source.get())
                + ")";
        hint = aggregation.addTypeHint();
      } else {
        Map<String, String> columns = ((SourceSchemas.Columns) schemas.of(source.get())).columns();
        SourceColumns.ColumnType type =
            SourceColumns.aggregatedColumnType(
                source.get(),
                columns,
                aggregation.column(),
                aggregation.function(),
                aggregation.describe());
        if (type.type().isEmpty()) {
          problem = type.problem();
          hint = type.hint();
        } else if (!aggregation.function().accepts(type.type().get())) {
          problem = aggregation.function().rejects(aggregation.describe(), type.type().get());
          hint =
              aggregation.function().acceptedHint()
                  + "; "
                  + type.type().get()
                  + " is the type of column '"
                  + aggregation.column()
                  + "' in source '"
                  + source.get().name()
                  + "' ("
                  + source.get().path()
                  + ")";
        } else {
          types.put(aggregation, type.type().get());
          continue;
        }
      }
      Location at = aggregation.location();
      problems.add(new Problem(at.file(), at.line(), at.column(), problem, hint));
    }
    return new Result(read.withColumnTypes(types, problems), notes(read, types));
  }

  /**
   * {@code Feature view 'v': column types read from source 's': fare float64 (fare_sum_24h,
   * fares_last3_7d), rider_id int64 (riders_7d).}
   */
  private static List<String> notes(ParseResult read, Map<UntypedAggregation, ValueType> types) {
    Map<String, Map<String, List<String>>> byView = new LinkedHashMap<>();
    types.forEach(
        (a, type) ->
            byView
                .computeIfAbsent(a.view(), v -> new LinkedHashMap<>())
                .computeIfAbsent(a.column() + " " + type, c -> new ArrayList<>())
                .add(a.name()));
    List<String> notes = new ArrayList<>();
    byView.forEach(
        (view, columns) -> {
          List<String> parts = new ArrayList<>();
          columns.forEach(
              (column, names) -> parts.add(column + " (" + String.join(", ", names) + ")"));
          notes.add(
              "Feature view '"
                  + view
                  + "': column types read from source '"
                  + read.parsed().definitions().requireFeatureView(view).source()
                  + "': "
                  + String.join(", ", parts)
                  + ".");
        });
    return notes;
  }

  /** The view's source among the definitions and the unfinished sources (empty: unknown). */
  private static Optional<ParquetSource> sourceOf(ParseResult read, UntypedAggregation a) {
    Optional<String> name =
        read.parsed().definitions().featureView(a.view()).map(FeatureView::source);
    return name.flatMap(
        n ->
            Stream.concat(
                    read.parsed().definitions().sources().stream(),
                    read.unfinishedSources().stream())
                .filter(s -> s.name().equals(n))
                .findFirst());
  }
}
