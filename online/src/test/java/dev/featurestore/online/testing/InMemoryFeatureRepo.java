/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.registry.FeatureRepo;
import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.store.Registry;
import java.net.URI;
import java.nio.file.Path;

/** A hand-written feature repo over an {@link InMemoryRegistry}. */
public record InMemoryFeatureRepo(Path root, RepoConfig config, Registry registry)
    implements FeatureRepo {
  @Override
  public Definitions definitions() {
    return registry.latest().orElseThrow().definitions();
  }

  @Override
  public URI resolve(String path) {
    return root.resolve(path).toUri();
  }
}
