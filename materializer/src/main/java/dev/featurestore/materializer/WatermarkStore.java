/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The incremental materialization watermarks: per view, the end of its last fully written window,
 * one JSON file {@code <dir>/<view>.json} ({@code {"view": ..., "watermark": ..., "updated_at":
 * ...}}), replaced atomically (temporary file, then rename) so a crash leaves the old one.
 */
public final class WatermarkStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;

  public WatermarkStore(Path directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  /** The watermarks folder of a registry: {@code <registry>/watermarks}. */
  public static WatermarkStore forRegistry(Path registryDirectory) {
    return new WatermarkStore(registryDirectory.resolve("watermarks"));
  }

  public Path directory() {
    return directory;
  }

  /**
   * Returns a view's watermark; empty before its first incremental run.
   *
   * @throws FeatureStoreException INTERNAL_ERROR naming the file when it is unreadable
   */
  public Optional<Instant> read(String view) {
    Path file = file(view);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
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

  /** Stores a view's watermark atomically. */
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
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
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

  private Path file(String view) {
    return directory.resolve(view + ".json");
  }
}
