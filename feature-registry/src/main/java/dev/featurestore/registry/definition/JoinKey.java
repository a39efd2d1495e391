/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/** One key column of an entity, with its type. */
public record JoinKey(String name, ValueType type) implements Serializable {
  private static final long serialVersionUID = 1L;

  public JoinKey {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
