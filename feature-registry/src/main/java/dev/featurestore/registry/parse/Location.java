/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static java.util.Objects.requireNonNull;

/**
 * A place in a definition file.
 *
 * @param file the file, relative to the repo root
 * @param line 1-based line
 * @param column 1-based column
 */
public record Location(String file, int line, int column) {
  public Location {
    requireNonNull(file, "file is null");
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
