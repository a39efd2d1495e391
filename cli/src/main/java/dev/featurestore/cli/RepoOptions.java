/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.repo.FileFeatureRepo;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every registry command shares. */
final class RepoOptions {
  @Option(
      names = "--repo",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "The feature repo folder (with featurestore.yaml). Default: ${DEFAULT-VALUE}")
  Path repo;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  FileFeatureRepo open() {
    return FileFeatureRepo.open(repo);
  }
}
