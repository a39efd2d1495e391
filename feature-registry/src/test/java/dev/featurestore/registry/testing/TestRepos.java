/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.StatisticsHistory;
import dev.featurestore.registry.store.Watermarks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * Feature repos for tests: copies of the examples, repos written from definitions and applied, and
 * a fixed in-memory repo.
 */
public final class TestRepos {
  private TestRepos() {}

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
   * Writes a repo whose registry is at {@code registry} (as written in {@code featurestore.yaml},
   * e.g. a {@code postgresql://} URI) and whose online store is {@code redisUri}, applies and opens
   * it.
   */
  public static FeatureRepo createWithRegistry(
      Path root, Definitions definitions, String registry, String redisUri) {
    try {
      Files.createDirectories(root.resolve("features"));
      Files.writeString(
          root.resolve("featurestore.yaml"),
          "project: "
              + definitions.project()
              + "\nregistry: "
              + registry
              + "\nonline:\n  redis: "
              + redisUri
              + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return apply(FeatureRepo.open(root), definitions);
  }

  /**
   * Writes the settings of a repo whose online store is {@code redisUri} and opens it, with nothing
   * applied yet.
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

  /**
   * A repo at {@code root} (project {@code rides}, Spark master {@code local[2]}) whose read-only
   * registry holds one version, number 7, of {@code applied}, or nothing; nothing is on disk.
   */
  public static FeatureRepo fixed(Path root, Optional<Definitions> applied) {
    return new FixedRepo(root, applied);
  }

  private record FixedRepo(Path root, Optional<Definitions> applied) implements FeatureRepo {
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
        public ApplyResult apply(ApplyRequest request) {
          throw new UnsupportedOperationException("read-only");
        }

        @Override
        public Map<String, Long> schemaFingerprints(long number) {
          return Map.of();
        }

        @Override
        public void append(RegistryVersion version, Map<String, Schema> schemas) {
          throw new UnsupportedOperationException("read-only");
        }

        @Override
        public Watermarks watermarks() {
          throw new UnsupportedOperationException("no watermarks");
        }

        @Override
        public StatisticsHistory statistics() {
          throw new UnsupportedOperationException("no statistics history");
        }

        @Override
        public String location() {
          return "fixed";
        }

        @Override
        public Optional<Schema> schema(long fingerprint) {
          return Optional.empty();
        }
      };
    }
  }

  /**
   * Finds {@code examples/<name>} from the working directory (the project root or a module folder).
   */
  public static Path example(String name) {
    for (Path candidate : List.of(Path.of("examples", name), Path.of("..", "examples", name))) {
      if (Files.isRegularFile(candidate.resolve("featurestore.yaml"))) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("Cannot find examples/" + name + " from " + Path.of("."));
  }

  /** Copies {@code examples/<name>} (without local state) into {@code target} and returns it. */
  public static Path copyOfExample(String name, Path target) {
    Path source = example(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path relative = source.relativize(file);
        if (relative.startsWith(".featurestore") || relative.startsWith("data")) {
          continue;
        }
        Path copy = target.resolve(relative.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
