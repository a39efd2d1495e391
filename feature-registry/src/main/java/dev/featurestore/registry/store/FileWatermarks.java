/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The watermarks of a {@link FileRegistry}: one JSON file {@code <registry>/watermarks/<view>.json}
 * per view ({@code {"view": ..., "watermark": ..., "updated_at": ...}}), replaced atomically
 * (temporary file, then rename) so a crash leaves the old one.
 */
public final class FileWatermarks implements Watermarks {
  private final Path directory;

  /** The watermarks in a folder. */
  public FileWatermarks(Path directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  /** The folder holding the watermark files. */
  public Path directory() {
    return directory;
  }

  @Override
  public Optional<Instant> read(String view) {
    Path file = file(view);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = DefinitionsJson.MAPPER.readTree(file.toFile());
      JsonNode watermark = node == null ? null : node.get("watermark");
      if (watermark == null || !watermark.isTextual()) {
        throw new IOException("no \"watermark\" string");
      }
      return Optional.of(Instant.parse(watermark.asText()));
    } catch (IOException | DateTimeParseException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          e,
          "Cannot read the watermark of feature view '%s' from %s: %s (delete the file to start"
              + " again from end - ttl)",
          view,
          file,
          e.getMessage());
    }
  }

  @Override
  public void write(String view, Instant watermark) {
    Path file = file(view);
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("view", view);
    content.put("watermark", watermark.toString());
    content.put("updated_at", Instant.now().toString());
    try {
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, view + ".", ".tmp");
      try {
        Files.write(
            temp,
            DefinitionsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot store the watermark of feature view '%s' in %s: %s",
          view,
          file,
          e);
    }
  }

  @Override
  public Map<String, Instant> all() {
    Map<String, Instant> all = new TreeMap<>();
    if (!Files.isDirectory(directory)) {
      return all;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
          String view = name.substring(0, name.length() - ".json".length());
          read(view).ifPresent(w -> all.put(view, w));
        }
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot list the watermarks in %s: %s", directory, e);
    }
    return all;
  }

  private Path file(String view) {
    return directory.resolve(view + ".json");
  }
}
