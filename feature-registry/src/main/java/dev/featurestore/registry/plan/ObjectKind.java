/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

/** The kinds of objects a definition file declares, named as in the files. */
public enum ObjectKind {
  ENTITY("entities", "entity"),
  SOURCE("sources", "source"),
  FEATURE_VIEW("feature_views", "feature_view"),
  FEATURE_SERVICE("feature_services", "feature_service");

  private final String key;
  private final String label;

  ObjectKind(String key, String label) {
    this.key = key;
    this.label = label;
  }

  /** The top-level key of definition files, e.g. {@code feature_views}. */
  public String key() {
    return key;
  }

  /** The singular name, e.g. {@code feature_view}. */
  public String label() {
    return label;
  }
}
