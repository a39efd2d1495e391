/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An added, changed or removed object.
 *
 * @param type what happened to the object
 * @param kind the kind of object
 * @param name the object's name
 * @param fields the changed fields, for {@link Type#CHANGED}; empty otherwise
 * @param breaking why adding or removing the object breaks consumers; empty when it does not (see
 *     the fields for a changed object)
 */
public record Change(
    Type type, ObjectKind kind, String name, List<FieldChange> fields, Optional<String> breaking) {
  /** What happened to an object. */
  public enum Type {
    ADDED("+"),
    CHANGED("~"),
    REMOVED("-");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    /** {@code +}, {@code ~} or {@code -}. */
    public String symbol() {
      return symbol;
    }
  }

  public Change {
    requireNonNull(type, "type is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
    fields = List.copyOf(requireNonNull(fields, "fields is null"));
    requireNonNull(breaking, "breaking is null");
  }

  /** Returns true when the change, or one of its field changes, is breaking. */
  public boolean isBreaking() {
    return breaking.isPresent() || fields.stream().anyMatch(f -> f.breaking().isPresent());
  }

  /** Returns {@code kind.key.name}, e.g. {@code feature_views.driver_stats}. */
  public String path() {
    return kind.key() + "." + name;
  }
}
