/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Definition files failed validation; carries every problem found, not just the first. */
public class DefinitionException extends FeatureStoreException {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  /** Creates the exception from the problems found (at least one). */
  public DefinitionException(List<Problem> problems) {
    super(ErrorCode.INVALID_DEFINITION, format(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns every problem: files that could not be read or parsed first, then the rest, each in
   * file and line order.
   */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    StringBuilder message =
        new StringBuilder("Invalid definitions: ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem" : " problems");
    problems.forEach(p -> message.append(System.lineSeparator()).append(p));
    return message.toString();
  }

  /**
   * One problem at a place in a file.
   *
   * @param file the file, relative to the repo root
   * @param line 1-based line, 0 when unknown
   * @param column 1-based column, 0 when unknown
   * @param message what is wrong
   * @param hint what would be right; empty when there is nothing to suggest
   */
  public record Problem(String file, int line, int column, String message, String hint) {
    public Problem {
      requireNonNull(file, "file is null");
      requireNonNull(message, "message is null");
      hint = hint == null ? "" : hint;
    }

    @Override
    public String toString() {
      return file
          + ":"
          + line
          + ":"
          + column
          + ": "
          + message
          + (hint.isEmpty() ? "" : " (" + hint + ")");
    }
  }
}
