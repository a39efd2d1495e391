/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * A batch source of feature rows stored as Parquet.
 *
 * @param name the source name
 * @param path a file, a folder of files or a glob, as written: relative to the feature repo, or a
 *     URI. Use {@code FeatureRepo#resolve(String)} to turn it into a location.
 * @param timestampField the event timestamp column
 * @param createdTimestampField the optional column that breaks ties between rows with equal event
 *     timestamps (the later created wins)
 * @param description free text, empty when absent
 * @param acceptsPushes whether the online service accepts rows pushed to this source ({@code push:
 *     true}; {@code POST /push}); such a source's path names a folder, to which pushes to the
 *     offline store add files
 */
public record ParquetSource(
    String name,
    String path,
    String timestampField,
    Optional<String> createdTimestampField,
    String description,
    boolean acceptsPushes) {
  public ParquetSource {
    requireNonNull(name, "name is null");
    requireNonNull(path, "path is null");
    requireNonNull(timestampField, "timestampField is null");
    requireNonNull(createdTimestampField, "createdTimestampField is null");
    description = description == null ? "" : description;
  }

  /** A source that accepts no pushes. */
  public ParquetSource(
      String name,
      String path,
      String timestampField,
      Optional<String> createdTimestampField,
      String description) {
    this(name, path, timestampField, createdTimestampField, description, false);
  }

  /**
   * Whether a path names a single file or a glob rather than a folder, as written: it ends with
   * {@code .parquet} or holds a glob character ({@code * ? [ {}). A source that accepts pushes must
   * name a folder, to add files to.
   */
  public static boolean namesFileOrGlob(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.toLowerCase(Locale.ROOT).endsWith(".parquet")
        || trimmed.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }
}
