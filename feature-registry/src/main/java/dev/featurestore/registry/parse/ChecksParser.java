/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.parse.NodeReader.Fields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Parses the data-quality parts of definitions: a feature's {@code checks:} mapping and a view's
 * {@code freshness:} duration (docs/registry.md, "Checks and freshness").
 *
 * <p>{@code min}/{@code max} apply to the scalar number types; {@code allowed} to string, bool,
 * int32 and int64, the types whose values are compared as text exactly (floats are not, as 0.1
 * written in YAML and 0.1 computed rarely agree; a range says more there). Allowed values are kept
 * in their canonical text: integers in decimal, booleans as {@code true}/{@code false}.
 */
final class ChecksParser {
  static final Set<ValueType> NUMERIC =
      EnumSet.of(ValueType.INT32, ValueType.INT64, ValueType.FLOAT32, ValueType.FLOAT64);
  static final Set<ValueType> ENUMERABLE =
      EnumSet.of(ValueType.STRING, ValueType.BOOL, ValueType.INT32, ValueType.INT64);

  private final NodeReader reader;

  ChecksParser(NodeReader reader) {
    this.reader = reader;
  }

  /**
   * Reads a feature's {@code checks:}; {@code type} is empty when the feature's type is invalid
   * (reported already), and then the checks that depend on it are not judged. Records the location
   * of each check under {@code <prefix>.checks.<check>}.
   */
  FeatureChecks checks(
      Node node, String what, Optional<ValueType> type, Map<String, Location> at, String prefix) {
    String checksWhat = "'checks' of " + what;
    Optional<Fields> fields = reader.mapping(node, checksWhat, FeatureChecks.NAMES);
    if (fields.isEmpty()) {
      return FeatureChecks.NONE;
    }
    Fields f = fields.get();
    at.put(prefix + ".checks", reader.at(node));
    for (String check : FeatureChecks.NAMES) {
      f.value(check).ifPresent(v -> at.put(prefix + ".checks." + check, reader.at(v)));
    }
    OptionalDouble min = bound(f, "min", what, type);
    OptionalDouble max = bound(f, "max", what, type);
    if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
      reader.problem(
          f.value("min").orElseThrow(),
          "check min " + text(f, "min") + " of " + what + " is above its max " + text(f, "max"),
          "min must not be above max");
      min = OptionalDouble.empty();
    }
    OptionalDouble maxNullFraction = OptionalDouble.empty();
    Optional<Node> fraction = f.value("max_null_fraction");
    if (fraction.isPresent()) {
      maxNullFraction = number(fraction.get(), "max_null_fraction", what);
      if (maxNullFraction.isPresent()
          && (maxNullFraction.getAsDouble() < 0 || maxNullFraction.getAsDouble() > 1)) {
        reader.problem(
            fraction.get(),
            "check max_null_fraction "
                + text(f, "max_null_fraction")
                + " of "
                + what
                + " is outside [0, 1]",
            "a fraction: 0 for no nulls, 0.05 for at most 5%, 1 for any");
        maxNullFraction = OptionalDouble.empty();
      }
    }
    List<String> allowed = f.value("allowed").map(v -> allowed(v, what, type)).orElse(List.of());
    return new FeatureChecks(min, max, maxNullFraction, allowed);
  }

  /** Reads a view's {@code freshness:}; empty when absent or invalid (reported). */
  Optional<Duration> freshness(Fields view, String what, Map<String, Location> at) {
    Optional<Node> node = view.value("freshness");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    at.put("freshness", reader.at(node.get()));
    Optional<String> text = reader.string(node.get(), "'freshness' of " + what);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> parsed = Durations.parse(text.get());
    if (parsed.isEmpty()) {
      reader.problem(node.get(), "invalid duration '" + text.get() + "'", Durations.HINT);
      return Optional.empty();
    }
    if (parsed.get().isZero()) {
      reader.problem(
          node.get(),
          "'freshness' of " + what + " must be positive, not " + text.get(),
          "e.g. freshness: 2h; leave it out for no freshness expectation");
      return Optional.empty();
    }
    return parsed;
  }

  private OptionalDouble bound(Fields f, String check, String what, Optional<ValueType> type) {
    Optional<Node> node = f.value(check);
    if (node.isEmpty()) {
      return OptionalDouble.empty();
    }
    OptionalDouble value = number(node.get(), check, what);
    if (value.isPresent() && type.isPresent() && !NUMERIC.contains(type.get())) {
      reader.problem(
          node.get(),
          "check '" + check + "' of " + what + " needs a number type, not " + type.get(),
          "min and max apply to int32, int64, float32 and float64 features");
      return OptionalDouble.empty();
    }
    return value;
  }

  private OptionalDouble number(Node node, String check, String what) {
    if (node instanceof ScalarNode scalar) {
      try {
        double value = Double.parseDouble(scalar.getValue().trim());
        if (Double.isFinite(value)) {
          return OptionalDouble.of(value);
        }
      } catch (NumberFormatException e) {
        // Reported below, with the other non-numbers.
      }
    }
    reader.problem(
        node,
        "check '" + check + "' of " + what + " must be a number, not " + describe(node),
        "e.g. " + check + ": " + (check.equals("max_null_fraction") ? "0.05" : "0"));
    return OptionalDouble.empty();
  }

  private List<String> allowed(Node node, String what, Optional<ValueType> type) {
    Optional<List<Node>> items = reader.list(node, "check 'allowed' of " + what);
    if (items.isEmpty()) {
      return List.of();
    }
    if (type.isPresent() && !ENUMERABLE.contains(type.get())) {
      reader.problem(
          node,
          "check 'allowed' of " + what + " does not apply to type " + type.get(),
          "allowed applies to string, bool, int32 and int64 features"
              + (NUMERIC.contains(type.get()) ? "; use min and max for a range" : ""));
      return List.of();
    }
    if (items.get().isEmpty()) {
      reader.problem(
          node,
          "check 'allowed' of " + what + " is empty",
          "list the allowed values, e.g. allowed: [gold, silver]; leave it out for any value");
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (Node item : items.get()) {
      if (!(item instanceof ScalarNode scalar) || NodeReader.isNull(item)) {
        reader.problem(
            item,
            "values in check 'allowed' of "
                + what
                + " must be scalars, not "
                + NodeReader.kind(item),
            "nulls are limited by max_null_fraction");
        continue;
      }
      Optional<String> value = type.flatMap(t -> canonical(scalar.getValue(), t));
      if (type.isPresent() && value.isEmpty()) {
        reader.problem(
            item,
            "allowed value '"
                + scalar.getValue()
                + "' of "
                + what
                + " is not of type "
                + type.get(),
            type.get() == ValueType.BOOL ? "use true or false" : "use whole numbers in range");
        continue;
      }
      String canonical = value.orElse(scalar.getValue());
      if (values.contains(canonical)) {
        reader.problem(item, "duplicate allowed value '" + canonical + "' in " + what, "");
        continue;
      }
      values.add(canonical);
    }
    return values;
  }

  private static Optional<String> canonical(String text, ValueType type) {
    try {
      return switch (type) {
        case INT32 -> Optional.of(Integer.toString(Integer.parseInt(text.trim())));
        case INT64 -> Optional.of(Long.toString(Long.parseLong(text.trim())));
        case BOOL -> {
          String lower = text.trim().toLowerCase(Locale.ROOT);
          yield lower.equals("true") || lower.equals("false")
              ? Optional.of(lower)
              : Optional.empty();
        }
        default -> Optional.of(text);
      };
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String text(Fields f, String key) {
    return f.value(key).map(v -> ((ScalarNode) v).getValue().trim()).orElse("");
  }

  private static String describe(Node node) {
    return node instanceof ScalarNode scalar && !NodeReader.isNull(node)
        ? "'" + scalar.getValue() + "'"
        : NodeReader.kind(node);
  }
}
