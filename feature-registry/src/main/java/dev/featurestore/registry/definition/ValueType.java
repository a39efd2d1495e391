/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The value types a feature or join key may have, named as they are written in definition files.
 */
public enum ValueType {
  INT32("int32", null),
  INT64("int64", null),
  FLOAT32("float32", null),
  FLOAT64("float64", null),
  STRING("string", null),
  BOOL("bool", null),
  BYTES("bytes", null),
  /** An instant (microsecond precision, UTC). */
  TIMESTAMP("timestamp", null),
  ARRAY_INT32("array<int32>", INT32),
  ARRAY_INT64("array<int64>", INT64),
  ARRAY_FLOAT32("array<float32>", FLOAT32),
  ARRAY_FLOAT64("array<float64>", FLOAT64),
  ARRAY_STRING("array<string>", STRING);

  private final String typeName;
  private final ValueType elementType;

  ValueType(String typeName, ValueType elementType) {
    this.typeName = typeName;
    this.elementType = elementType;
  }

  /** Returns the name used in definition files, e.g. {@code int64} or {@code array<float32>}. */
  public String typeName() {
    return typeName;
  }

  /** Returns true for {@code array<T>} types. */
  public boolean isArray() {
    return elementType != null;
  }

  /** Returns the element type of an array type; empty for scalar types. */
  public Optional<ValueType> elementType() {
    return Optional.ofNullable(elementType);
  }

  /** Returns true when this type may be used for a join key column. */
  public boolean isValidJoinKeyType() {
    return this == INT32 || this == INT64 || this == STRING || this == BYTES;
  }

  /**
   * Parses a type name as written in a definition file (whitespace inside {@code array< T >} is
   * ignored, case is not).
   */
  public static Optional<ValueType> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String normalized = name.replace(" ", "");
    return Arrays.stream(values()).filter(t -> t.typeName.equals(normalized)).findFirst();
  }

  /** Returns every valid type name, for error hints. */
  public static List<String> names() {
    return Arrays.stream(values()).map(ValueType::typeName).toList();
  }

  @Override
  public String toString() {
    return typeName;
  }
}
