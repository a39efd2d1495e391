/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/** A hand-written repo whose registry holds one fixed version (or none). */
record FixedRepo(Path root, Optional<Definitions> applied) implements FeatureRepo {
  @Override
  public RepoConfig config() {
    return new RepoConfig(
        "rides", ".featurestore/registry", "local[2]", Optional.empty(), Optional.empty());
  }

  @Override
  public Definitions definitions() {
    return applied.orElseThrow();
  }

  @Override
  public URI resolve(String path) {
    return root.resolve(path).toUri();
  }

  @Override
  public Registry registry() {
    Optional<RegistryVersion> version =
        applied.map(d -> new RegistryVersion(7, "abc123", Instant.EPOCH, d));
    return new Registry() {
      @Override
      public Optional<RegistryVersion> latest() {
        return version;
      }

      @Override
      public RegistryVersion version(long number) {
        return version.orElseThrow();
      }

      @Override
      public List<RegistryVersion> history() {
        return version.stream().toList();
      }

      @Override
      public ApplyResult apply(Definitions definitions) {
        throw new UnsupportedOperationException("read-only");
      }

      @Override
      public Optional<Schema> schema(long fingerprint) {
        return Optional.empty();
      }
    };
  }
}
