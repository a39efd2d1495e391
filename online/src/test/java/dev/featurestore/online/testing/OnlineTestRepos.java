/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.DefinitionsYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Real feature repos on disk for the online tests: settings, definition files, applied. */
public final class OnlineTestRepos {
  private OnlineTestRepos() {}

  /**
   * Writes a repo whose online store is {@code redisUri} (and API key, if given), applies the
   * definitions and returns the opened repo.
   */
  public static FeatureRepo create(
      Path root, Definitions definitions, String redisUri, Optional<String> apiKey) {
    return create(
        root,
        definitions,
        "  redis: " + redisUri + "\n" + apiKey.map(k -> "  api_key: " + k + "\n").orElse(""));
  }

  /** Writes a repo with the given {@code online:} settings block, applies and opens it. */
  public static FeatureRepo create(Path root, Definitions definitions, String onlineSettings) {
    return apply(write(root, definitions.project(), onlineSettings), definitions);
  }

  /**
   * Writes the settings of a repo whose online store is {@code redisUri} and opens it, with nothing
   * applied yet, as after {@code featurestore init}.
   */
  public static FeatureRepo unapplied(Path root, String project, String redisUri) {
    return write(root, project, "  redis: " + redisUri + "\n");
  }

  private static FeatureRepo write(Path root, String project, String onlineSettings) {
    try {
      Files.createDirectories(root.resolve("features"));
      Files.writeString(
          root.resolve("featurestore.yaml"),
          "project: " + project + "\nonline:\n" + onlineSettings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return FeatureRepo.open(root);
  }

  /** Rewrites the repo's definition file and applies it, as {@code featurestore apply} does. */
  public static FeatureRepo apply(FeatureRepo repo, Definitions definitions) {
    try {
      Files.writeString(
          repo.root().resolve("features/definitions.yaml"), DefinitionsYaml.of(definitions));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    repo.registry().apply(repo.definitions());
    return repo;
  }
}
