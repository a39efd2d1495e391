/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry;

/** Stable error codes carried by {@link FeatureStoreException}, each tagged USER or INTERNAL. */
public enum ErrorCode {
  /** Definition files failed validation. */
  INVALID_DEFINITION(Category.USER),
  /** A command-line argument, request field or configuration value is invalid. */
  INVALID_ARGUMENT(Category.USER),
  /** A named entity, view, feature, service or version does not exist. */
  NOT_FOUND(Category.USER),
  /** Input data (Parquet, CSV, an entity dataframe) does not match what the definitions need. */
  INVALID_DATA(Category.USER),
  /** A concurrent writer changed the registry first. */
  CONFLICT(Category.USER),
  /**
   * A plan has breaking changes and the command was asked to stop on them ({@code plan
   * --fail-on-breaking}, {@code apply} without {@code --allow-breaking}).
   */
  BREAKING_CHANGE(Category.USER),
  /** A request exceeded a configured limit. */
  LIMIT_EXCEEDED(Category.USER),
  /** A required external system (Redis, a file system) could not be reached. */
  UNAVAILABLE(Category.INTERNAL),
  /** A bug or an unexpected state. */
  INTERNAL_ERROR(Category.INTERNAL);

  /** Who must act on an error: the user (bad input) or the operators/developers. */
  public enum Category {
    USER,
    INTERNAL
  }

  private final Category category;

  ErrorCode(Category category) {
    this.category = category;
  }

  /** Returns whether the error was caused by user input or by the system. */
  public Category category() {
    return category;
  }

  /** Returns true when the user can fix the error by changing their input. */
  public boolean isUserError() {
    return category == Category.USER;
  }
}
