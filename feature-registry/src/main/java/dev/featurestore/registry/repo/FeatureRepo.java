/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.repo;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.net.URI;
import java.nio.file.Path;

/**
 * A feature repo: a folder with {@code featurestore.yaml} and {@code features/*.yaml}. This is the
 * entry point other modules use.
 *
 * <pre>{@code
 * FeatureRepo repo = FeatureRepo.open(Path.of("examples/rides"));
 * Definitions current = repo.registry().latest().orElseThrow().definitions();
 * }</pre>
 */
public interface FeatureRepo {
  /**
   * Opens a repo: reads and validates {@code featurestore.yaml} (the definition files are read
   * lazily by {@link #definitions()}).
   *
   * @throws FeatureStoreException INVALID_DEFINITION when the folder or its settings are invalid
   */
  static FeatureRepo open(Path root) {
    return FileFeatureRepo.open(root);
  }

  /** The repo folder (absolute, normalized). */
  Path root();

  /** The project settings. */
  RepoConfig config();

  /**
   * Parses and validates every definition file.
   *
   * @throws DefinitionException with every problem found, each located by file:line:column
   */
  Definitions definitions();

  /** The registry this repo applies to. */
  Registry registry();

  /**
   * The latest applied version, for a command that cannot run without one.
   *
   * @param action what the caller was about to do, e.g. {@code "materialize"}
   * @throws FeatureStoreException NOT_FOUND, saying to run {@code featurestore apply}, when nothing
   *     was applied yet
   */
  default RegistryVersion latestApplied(String action) {
    return registry()
        .latest()
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.NOT_FOUND,
                    "Cannot %s: the registry of %s has no applied version; run `featurestore apply`"
                        + " first",
                    action,
                    root()));
  }

  /**
   * Resolves a path as written in the repo (a source's {@code parquet:}, the registry) to a URI:
   * relative paths against the repo root, URIs as they are.
   */
  URI resolve(String path);

  /** The folder for local state (embedded Redis data, watermarks): {@code <root>/.featurestore}. */
  default Path stateDirectory() {
    return root().resolve(".featurestore");
  }
}
