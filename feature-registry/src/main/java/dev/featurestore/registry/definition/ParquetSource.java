/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import static java.util.Objects.requireNonNull;

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
 */
public record ParquetSource(
    String name,
    String path,
    String timestampField,
    Optional<String> createdTimestampField,
    String description) {
  public ParquetSource {
    requireNonNull(name, "name is null");
    requireNonNull(path, "path is null");
    requireNonNull(timestampField, "timestampField is null");
    requireNonNull(createdTimestampField, "createdTimestampField is null");
    description = description == null ? "" : description;
  }
}
