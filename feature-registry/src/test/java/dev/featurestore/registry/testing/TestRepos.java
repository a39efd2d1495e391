/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Copies of the example feature repos, for tests that apply (and so write a registry). */
public final class TestRepos {
  private TestRepos() {}

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
