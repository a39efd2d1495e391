/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one check of a source's columns against the definitions that read them, used by {@code plan}
 * (on Parquet footers) and by the Spark jobs ({@code training-set}, {@code materialize}) on the
 * schema Spark reads, so that all three accept the same data and word a problem the same way.
 *
 * <p>Column types are named as in definition files ({@code int64}, {@code array<float32>}, {@code
 * timestamp}); other types by a descriptive name ({@code int8}, {@code int16}, {@code
 * decimal(10,2)}, {@code date}, {@code timestamp_ntz} for a timestamp without time zone, {@code
 * uint32}, {@code struct}, {@code map}).
 *
 * <p><b>The rule: the same type or a lossless widening.</b> A column is read as its declared type
 * when it has that type, or when every value of its type converts exactly:
 *
 * <ul>
 *   <li>{@code int8}, {@code int16} as {@code int32}, {@code int64} or {@code float64};
 *   <li>{@code int32} as {@code int64} or {@code float64}; {@code int64} as {@code float64} (exact
 *       up to 2^53, which counts and identifiers in feature data do not reach);
 *   <li>{@code float32} as {@code float64};
 *   <li>an unsigned integer as the signed type Spark reads it as ({@code uint8} as {@code int16},
 *       {@code uint16} as {@code int32}, {@code uint32} as {@code int64}), then as above;
 *   <li>{@code timestamp_ntz} as {@code timestamp}: its wall-clock time is read as UTC;
 *   <li>an array when its elements are read by the same rule.
 * </ul>
 *
 * Anything else is an error naming the column, its type and the declared type: narrowing ({@code
 * int64} as {@code int32}, {@code float64} as {@code float32}), any integer as {@code float32}, and
 * decimals, which are never converted (write them as {@code float64}, or {@code int64} for whole
 * numbers).
 */
public final class SourceColumns {
  private static final String DECIMALS =
      "decimals are not converted; write the column as float64, or as int64 for whole numbers";

  private SourceColumns() {}

  /**
   * One column a definition reads from a source.
   *
   * @param column the column name in the source
   * @param type the declared type
   * @param usedFor what reads it, for messages: {@code feature 'conv_rate' of feature view
   *     'driver_stats'}, {@code its timestamp_field}
   * @param definitionPath where the definition declares it (e.g. {@code
   *     feature_views.driver_stats.features.conv_rate.type}), for locating problems in files
   */
  public record Use(String column, ValueType type, String usedFor, String definitionPath) {
    public Use {
      requireNonNull(column, "column is null");
      requireNonNull(type, "type is null");
      requireNonNull(usedFor, "usedFor is null");
      requireNonNull(definitionPath, "definitionPath is null");
    }
  }

  /**
   * A column that is missing or has a type the rule does not read as the declared one.
   *
   * @param use the column and what reads it
   * @param message the problem: {@code column 'trips' of source 'trips_src' (data/trips) is int64
   *     but feature 'trips' of feature view 'driver' is int32 (...)}
   * @param hint what would be right (a close column name, the columns present); empty when none
   */
  public record Problem(Use use, String message, String hint) {
    public Problem {
      requireNonNull(use, "use is null");
      requireNonNull(message, "message is null");
      hint = hint == null ? "" : hint;
    }

    /** Returns the message followed by the hint in parentheses, when there is one. */
    public String describe() {
      return hint.isEmpty() ? message : message + " (" + hint + ")";
    }
  }

  /**
   * The type of a column read from a source for a definition that leaves it to the source (an
   * aggregation without {@code type:}), or why there is none.
   *
   * @param type the column's type as a definition type; empty when there is a problem
   * @param problem what is wrong, empty when there is a type
   * @param hint what would be right, empty when there is a type
   */
  public record ColumnType(Optional<ValueType> type, String problem, String hint) {
    public ColumnType {
      requireNonNull(type, "type is null");
      requireNonNull(problem, "problem is null");
      requireNonNull(hint, "hint is null");
    }
  }

  /**
   * Reads the type of a column an aggregation without {@code type:} aggregates: the definition type
   * the column is read as by the rule below (its own type; an unsigned integer as the signed type
   * Spark reads). The column must exist (worded as {@link #check} words a missing column) and have
   * a type named as in definition files: {@code int16}, {@code date} or a decimal are not, and the
   * hint names the definition types it is read as that {@code function} accepts.
   *
   * @param source the source, named in messages with its path as written
   * @param columns column name to type name (see the class comment)
   * @param column the aggregated column
   * @param function the aggregation's function, for the hint
   * @param usedFor what reads it: {@code aggregation 'fare_sum' of feature view 'trips'}
   */
  public static ColumnType aggregatedColumnType(
      ParquetSource source,
      Map<String, String> columns,
      String column,
      AggregationFunction function,
      String usedFor) {
    String what = describe(source);
    String actual = columns.get(column);
    if (actual == null) {
      return new ColumnType(
          Optional.empty(), missing(what, column, usedFor), missingHint(column, columns));
    }
    Optional<ValueType> type = ValueType.fromName(normalize(actual));
    if (type.isPresent()) {
      return new ColumnType(type, "", "");
    }
    List<ValueType> readAs =
        Arrays.stream(ValueType.values())
            .filter(t -> isReadableAs(actual, t) && function.accepts(t))
            .toList();
    String hint;
    if (!readAs.isEmpty()) {
      hint =
          "declare a type it is read as: add type: <one of "
              + AggregationFunction.typeNames(readAs)
              + ">";
    } else if (elementOf(normalize(actual)).orElse(normalize(actual)).startsWith("decimal")) {
      hint = DECIMALS;
    } else {
      hint = function.acceptedHint() + ": write the column as one of them";
    }
    return new ColumnType(
        Optional.empty(),
        "column '"
            + column
            + "' of "
            + what
            + " is "
            + actual
            + ", which has no definition type name, for "
            + usedFor,
        hint);
  }

  /**
   * Returns the columns of a source that the source itself and one feature view read: the timestamp
   * columns, the view's join keys and the given features (in that order).
   */
  public static List<Use> uses(
      ParquetSource source, FeatureView view, List<JoinKey> joinKeys, List<Feature> features) {
    List<Use> uses = new ArrayList<>(timestampUses(source));
    uses.addAll(viewUses(view, joinKeys, features));
    return uses;
  }

  /** Returns the timestamp columns a source declares. */
  public static List<Use> timestampUses(ParquetSource source) {
    String prefix = "sources." + source.name();
    List<Use> uses = new ArrayList<>();
    uses.add(
        new Use(
            source.timestampField(),
            ValueType.TIMESTAMP,
            "its timestamp_field",
            prefix + ".timestamp_field"));
    source
        .createdTimestampField()
        .ifPresent(
            c ->
                uses.add(
                    new Use(
                        c,
                        ValueType.TIMESTAMP,
                        "its created_timestamp_field",
                        prefix + ".created_timestamp_field")));
    return uses;
  }

  /** Returns the join key and feature columns a view reads from its source. */
  public static List<Use> viewUses(
      FeatureView view, List<JoinKey> joinKeys, List<Feature> features) {
    String viewPath = "feature_views." + view.name();
    List<Use> uses = new ArrayList<>();
    for (JoinKey key : joinKeys) {
      uses.add(
          new Use(
              key.name(),
              key.type(),
              "join key '" + key.name() + "' of feature view '" + view.name() + "'",
              viewPath + ".source"));
    }
    for (Feature feature : features) {
      Optional<Aggregation> aggregation =
          view.aggregations().flatMap(a -> a.aggregation(feature.name()));
      if (aggregation.isPresent()) {
        // An aggregation reads its column (as declared), not a column of its output type; a count
        // of rows reads none.
        Aggregation a = aggregation.get();
        if (a.column().isPresent()) {
          uses.add(
              new Use(
                  a.column().get(),
                  a.columnType().orElseThrow(),
                  "aggregation '" + a.name() + "' of feature view '" + view.name() + "'",
                  viewPath + ".features." + a.name() + ".column"));
        }
        continue;
      }
      uses.add(
          new Use(
              feature.sourceColumn(),
              feature.type(),
              "feature '" + feature.name() + "' of feature view '" + view.name() + "'",
              viewPath + ".features." + feature.name() + ".type"));
    }
    return uses;
  }

  /**
   * Checks the columns of a source against what reads them.
   *
   * @param source the source, named in messages with its path as written
   * @param columns column name to type name (see the class comment), in source order
   * @return the problems, in the order of {@code uses}; empty when every column is read
   */
  public static List<Problem> check(
      ParquetSource source, Map<String, String> columns, List<Use> uses) {
    String what = describe(source);
    List<Problem> problems = new ArrayList<>();
    for (Use use : uses) {
      String actual = columns.get(use.column());
      if (actual == null) {
        problems.add(
            new Problem(
                use,
                missing(what, use.column(), use.usedFor()),
                missingHint(use.column(), columns)));
      } else if (!isReadableAs(actual, use.type())) {
        problems.add(
            new Problem(
                use,
                "column '"
                    + use.column()
                    + "' of "
                    + what
                    + " is "
                    + actual
                    + " but "
                    + use.usedFor()
                    + " is "
                    + use.type().typeName()
                    + reason(normalize(actual), use.type()),
                ""));
      }
    }
    return problems;
  }

  private static String describe(ParquetSource source) {
    return "source '" + source.name() + "' (" + source.path() + ")";
  }

  private static String missing(String source, String column, String usedFor) {
    return source + " has no column '" + column + "' for " + usedFor;
  }

  /** A close column name, or the columns present. */
  private static String missingHint(String column, Map<String, String> columns) {
    return Names.closest(column, columns.keySet())
        .map(c -> "did you mean '" + c + "'?")
        .orElse("columns: " + String.join(", ", columns.keySet().stream().sorted().toList()));
  }

  /**
   * Returns true when a column of type {@code columnType} is read as {@code declared}: the same
   * type, or a lossless widening (see the class comment).
   */
  public static boolean isReadableAs(String columnType, ValueType declared) {
    requireNonNull(columnType, "columnType is null");
    requireNonNull(declared, "declared is null");
    String type = normalize(columnType);
    if (declared.isArray()) {
      return elementOf(type)
          .map(e -> isReadableAs(e, declared.elementType().orElseThrow()))
          .orElse(false);
    }
    if (type.equals(declared.typeName())) {
      return true;
    }
    Optional<Integer> bits = signedBits(type);
    return switch (declared) {
      case INT32 -> bits.isPresent() && bits.get() < 32;
      case INT64 -> bits.isPresent() && bits.get() < 64;
      case FLOAT64 -> bits.isPresent() || type.equals("float32");
      case TIMESTAMP -> type.equals("timestamp_ntz");
      default -> false;
    };
  }

  /** Lower case, no spaces, unsigned integers named as the signed type Spark reads them as. */
  private static String normalize(String columnType) {
    String type = columnType.replace(" ", "").toLowerCase(Locale.ROOT);
    return switch (type) {
      case "uint8" -> "int16";
      case "uint16" -> "int32";
      case "uint32" -> "int64";
      case "uint64" -> "decimal(20,0)";
      default -> type;
    };
  }

  private static Optional<Integer> signedBits(String type) {
    return switch (type) {
      case "int8" -> Optional.of(8);
      case "int16" -> Optional.of(16);
      case "int32" -> Optional.of(32);
      case "int64" -> Optional.of(64);
      default -> Optional.empty();
    };
  }

  private static Optional<String> elementOf(String type) {
    if (type.startsWith("array<") && type.endsWith(">")) {
      return Optional.of(type.substring("array<".length(), type.length() - 1));
    }
    return Optional.empty();
  }

  private static String reason(String actual, ValueType declared) {
    ValueType wanted = declared.isArray() ? declared.elementType().orElseThrow() : declared;
    String element = elementOf(actual).orElse(actual);
    if (element.startsWith("decimal")) {
      return ": " + DECIMALS;
    }
    boolean numeric = signedBits(element).isPresent() || element.startsWith("float");
    boolean wantedNumeric =
        wanted == ValueType.INT32
            || wanted == ValueType.INT64
            || wanted == ValueType.FLOAT32
            || wanted == ValueType.FLOAT64;
    if (numeric && wantedNumeric) {
      return ": not every "
          + element
          + " value converts exactly to "
          + wanted.typeName()
          + " (only lossless widening is read: int8/int16 to int32, any integer to int64 or"
          + " float64, float32 to float64)";
    }
    return "";
  }
}
