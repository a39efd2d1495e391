/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.repo;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.parse.ParseResult;
import dev.featurestore.registry.parse.ParsedDefinitions;
import dev.featurestore.registry.parse.RepoFiles;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryLocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A feature repo on the local file system: {@code featurestore.yaml} plus definition files under
 * {@code features/} (any depth, {@code *.yaml} or {@code *.yml}).
 */
public final class FileFeatureRepo implements FeatureRepo {
  /** The project settings file at the repo root. */
  public static final String CONFIG_FILE = RepoFiles.CONFIG_FILE;

  /** The folder holding the definition files. */
  public static final String FEATURES_DIRECTORY = RepoFiles.FEATURES_DIRECTORY;

  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

  private final Path root;
  private final RepoConfig config;
  private Registry registry;

  private FileFeatureRepo(Path root, RepoConfig config) {
    this.root = root;
    this.config = config;
  }

  /**
   * Opens the repo at {@code root}, reading and validating {@code featurestore.yaml}.
   *
   * @throws FeatureStoreException INVALID_DEFINITION when the folder has no valid settings file
   */
  public static FileFeatureRepo open(Path root) {
    requireNonNull(root, "root is null");
    Path absolute = root.toAbsolutePath().normalize();
    Path configFile = absolute.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DEFINITION,
          "Cannot open feature repo %s: %s not found (a feature repo is a folder with %s and"
              + " %s/*.yaml)",
          absolute,
          CONFIG_FILE,
          CONFIG_FILE,
          FEATURES_DIRECTORY);
    }
    return new FileFeatureRepo(absolute, RepoFiles.config(configFile));
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public RepoConfig config() {
    return config;
  }

  @Override
  public Definitions definitions() {
    return parse().definitions();
  }

  /**
   * Parses and validates every definition file, keeping where each part was written.
   *
   * @throws DefinitionException with every problem found, in file and line order
   */
  public ParsedDefinitions parse() {
    return read().orThrow();
  }

  /**
   * Parses and validates every definition file, returning the objects that parsed with every
   * problem found, for checks that should report their problems in the same run ({@code plan}'s
   * source schema check).
   */
  public ParseResult read() {
    return RepoFiles.read(root, config.project());
  }

  @Override
  public synchronized Registry registry() {
    if (registry == null) {
      registry = Registries.open(registryLocation());
    }
    return registry;
  }

  /** Where the registry lives: {@code registry:} resolved against the repo, with its options. */
  public RegistryLocation registryLocation() {
    return new RegistryLocation(resolve(config.registry()), config.registryOptions());
  }

  @Override
  public URI resolve(String path) {
    requireNonNull(path, "path is null");
    if (URI_SCHEME.matcher(path).matches()) {
      try {
        return URI.create(path);
      } catch (IllegalArgumentException e) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT, e, "Cannot resolve '%s': %s", path, e.getMessage());
      }
    }
    try {
      return root.resolve(path).normalize().toUri();
    } catch (InvalidPathException e) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT, e, "Cannot resolve '%s': %s", path, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "FileFeatureRepo[" + root + ", project=" + config.project() + "]";
  }
}
