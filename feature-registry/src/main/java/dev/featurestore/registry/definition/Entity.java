/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;

/**
 * A thing features describe (a driver, a customer), identified by one or more join key columns.
 *
 * @param name the entity name
 * @param joinKeys the key columns, in declaration order (composite keys have several)
 * @param description free text, empty when absent
 */
public record Entity(String name, List<JoinKey> joinKeys, String description)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public Entity {
    requireNonNull(name, "name is null");
    joinKeys = List.copyOf(requireNonNull(joinKeys, "joinKeys is null"));
    description = description == null ? "" : description;
  }

  /** Returns the join key column names in declaration order. */
  public List<String> joinKeyNames() {
    return joinKeys.stream().map(JoinKey::name).toList();
  }
}
