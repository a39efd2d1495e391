/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.FeatureRepo;
import java.nio.file.Path;

/** A feature repo on a local file system. (Being implemented: see issue 2.) */
public final class FileFeatureRepo {
  private FileFeatureRepo() {}

  /** Opens the repo at {@code root}. */
  public static FeatureRepo open(Path root) {
    throw new UnsupportedOperationException("not implemented yet: " + root);
  }
}
