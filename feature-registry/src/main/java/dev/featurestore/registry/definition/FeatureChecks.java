/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The data-quality checks declared on one feature ({@code checks:} in a definition file), evaluated
 * by {@code registry.quality.Checks.evaluate} on the rows a materialization is about to write.
 *
 * <p>Serializable through a proxy (its {@link OptionalDouble} components are not), because it
 * travels inside a {@link Feature} to Spark executors.
 *
 * @param min the smallest value allowed (numeric features only), inclusive
 * @param max the largest value allowed (numeric features only), inclusive
 * @param maxNullFraction the largest fraction of null values allowed, in [0, 1]
 * @param allowed the only values allowed (string, bool, int32 and int64 features), in their
 *     canonical text form ({@code true}/{@code false}, decimal integers); empty for no such check
 */
public record FeatureChecks(
    OptionalDouble min, OptionalDouble max, OptionalDouble maxNullFraction, List<String> allowed)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No checks. */
  public static final FeatureChecks NONE =
      new FeatureChecks(
          OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), List.of());

  /** The check names as written in definition files and reported in {@code CheckResult.check}. */
  public static final List<String> NAMES = List.of("min", "max", "max_null_fraction", "allowed");

  public FeatureChecks {
    requireNonNull(min, "min is null");
    requireNonNull(max, "max is null");
    requireNonNull(maxNullFraction, "maxNullFraction is null");
    allowed = List.copyOf(requireNonNull(allowed, "allowed is null"));
  }

  /** Returns true when no check is declared. */
  public boolean isEmpty() {
    return min.isEmpty() && max.isEmpty() && maxNullFraction.isEmpty() && allowed.isEmpty();
  }

  /**
   * Returns the checks as written, for people: {@code min 0, max 1, max_null_fraction 0.05, allowed
   * [gold, silver]}; empty for {@link #NONE}.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    min.ifPresent(v -> parts.add("min " + number(v)));
    max.ifPresent(v -> parts.add("max " + number(v)));
    maxNullFraction.ifPresent(v -> parts.add("max_null_fraction " + number(v)));
    if (!allowed.isEmpty()) {
      parts.add("allowed [" + String.join(", ", allowed) + "]");
    }
    return String.join(", ", parts);
  }

  /**
   * Formats a limit or an observed number the way people write it: {@code 0}, {@code 1.5}, {@code
   * -0.25}, {@code 1000000} (no trailing {@code .0}, no exponent).
   */
  public static String number(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private Object writeReplace() {
    return new Form(
        min.isPresent() ? min.getAsDouble() : null,
        max.isPresent() ? max.getAsDouble() : null,
        maxNullFraction.isPresent() ? maxNullFraction.getAsDouble() : null,
        allowed);
  }

  /** The serialized form: nullable boxed doubles instead of {@link OptionalDouble}. */
  private record Form(Double min, Double max, Double maxNullFraction, List<String> allowed)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      return new FeatureChecks(optional(min), optional(max), optional(maxNullFraction), allowed);
    }

    private static OptionalDouble optional(Double value) {
      return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
  }
}
