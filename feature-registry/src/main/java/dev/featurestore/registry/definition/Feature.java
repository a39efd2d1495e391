/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * One feature of a feature view.
 *
 * @param name the feature name
 * @param type the value type
 * @param sourceColumn the source column the values come from (the feature name unless renamed)
 * @param description free text, empty when absent
 * @param checks the data-quality checks on its values; {@link FeatureChecks#NONE} when none
 */
public record Feature(
    String name, ValueType type, String sourceColumn, String description, FeatureChecks checks)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public Feature {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    sourceColumn = sourceColumn == null ? name : sourceColumn;
    description = description == null ? "" : description;
    requireNonNull(checks, "checks is null");
  }

  /** Creates a feature without checks. */
  public Feature(String name, ValueType type, String sourceColumn, String description) {
    this(name, type, sourceColumn, description, FeatureChecks.NONE);
  }

  /** Returns this feature with other checks. */
  public Feature withChecks(FeatureChecks newChecks) {
    return new Feature(name, type, sourceColumn, description, newChecks);
  }

  /** Creates a feature read from the column of the same name. */
  public static Feature of(String name, ValueType type) {
    return new Feature(name, type, name, "");
  }
}
