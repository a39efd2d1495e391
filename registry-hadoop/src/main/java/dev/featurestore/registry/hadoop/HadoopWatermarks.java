/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.store.Watermarks;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The watermarks of a {@link HadoopRegistry}: one JSON file {@code watermarks/<view>.json} per
 * view, as in the local registry, replaced by writing a temporary file and renaming it over the old
 * one ({@link FileContext#rename} with {@code OVERWRITE}: one atomic NameNode operation on HDFS),
 * so a crash leaves the old watermark.
 */
final class HadoopWatermarks implements Watermarks {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final FileSystem fileSystem;
  private final Configuration configuration;
  private final Path directory;

  HadoopWatermarks(FileSystem fileSystem, Configuration configuration, Path directory) {
    this.fileSystem = fileSystem;
    this.configuration = configuration;
    this.directory = directory;
  }

  @Override
  public Optional<Instant> read(String view) {
    Path file = file(view);
    JsonNode node;
    try (FSDataInputStream in = fileSystem.open(file)) {
      node = MAPPER.readTree(in);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot read the watermark of feature view '%s' from %s: %s",
          view,
          file,
          e.getMessage());
    }
    JsonNode watermark = node == null ? null : node.get("watermark");
    try {
      if (watermark == null || !watermark.isTextual()) {
        throw new DateTimeParseException("no \"watermark\" string", "", 0);
      }
      return Optional.of(Instant.parse(watermark.asText()));
    } catch (DateTimeParseException e) {
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
    Path temporary = new Path(directory, "." + view + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FSDataOutputStream out = fileSystem.create(temporary, false)) {
        out.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        out.hsync();
      }
      FileContext.getFileContext(fileSystem.getUri(), configuration)
          .rename(temporary, file, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      try {
        fileSystem.delete(temporary, false);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot store the watermark of feature view '%s' in %s: %s",
          view,
          file,
          e.getMessage());
    }
  }

  @Override
  public Map<String, Instant> all() {
    Map<String, Instant> all = new TreeMap<>();
    FileStatus[] files;
    try {
      files = fileSystem.listStatus(directory);
    } catch (FileNotFoundException e) {
      return all;
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot list the watermarks in %s: %s",
          directory,
          e.getMessage());
    }
    for (FileStatus status : files) {
      String name = status.getPath().getName();
      if (name.endsWith(".json") && !name.startsWith(".")) {
        String view = name.substring(0, name.length() - ".json".length());
        read(view).ifPresent(w -> all.put(view, w));
      }
    }
    return all;
  }

  private Path file(String view) {
    return new Path(directory, view + ".json");
  }
}
