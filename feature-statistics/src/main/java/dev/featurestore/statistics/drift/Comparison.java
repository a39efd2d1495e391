/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import dev.featurestore.registry.definition.ValueType;
import java.util.Optional;

/** How a feature's two samples are compared, by its value type. */
enum Comparison {
  /** Numbers and timestamps (as epoch seconds): PSI over training deciles, and KS. */
  NUMBER,
  /** Strings and bools: PSI over the training values plus "other". */
  CATEGORY,
  /** Bytes and arrays: not compared; the output says why. */
  SKIPPED;

  static Comparison of(ValueType type) {
    return switch (type) {
      case INT32, INT64, FLOAT32, FLOAT64, TIMESTAMP -> NUMBER;
      case STRING, BOOL -> CATEGORY;
      default -> SKIPPED;
    };
  }

  /** Why a type is not compared; empty for the compared ones. */
  static Optional<String> skipReason(ValueType type) {
    if (of(type) != SKIPPED) {
      return Optional.empty();
    }
    return Optional.of(
        type.isArray()
            ? "not compared: " + type.typeName() + " has no one value per row to bucket"
            : "not compared: bytes have no order or categories to bucket");
  }
}
