/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the column types of a source's data, so that {@code plan} can check the definitions against
 * it. A service provider interface found with {@link java.util.ServiceLoader}: the offline module
 * implements it by reading Parquet footers; without any implementation on the class path the check
 * is skipped.
 */
public interface SourceSchemaReader {
  /**
   * Reads the schema of a source.
   *
   * @param source the resolved location of a source ({@code FeatureRepo#resolve} of its {@code
   *     parquet:} path): a file, a folder of files or a glob
   * @return column name to type name as written in definition files ({@code int64}, {@code
   *     array<float32>}, {@code timestamp}, ...; other types as named in {@code
   *     dev.featurestore.registry.definition.SourceColumns}); empty when the source exists but has
   *     no data file yet, or this reader cannot check it (an unsupported scheme)
   * @throws dev.featurestore.registry.FeatureStoreException NOT_FOUND when nothing exists at the
   *     location; any other exception when the data cannot be read (a corrupt footer), reported by
   *     {@code plan} at the source's {@code parquet:} line
   */
  Optional<Map<String, String>> read(URI source);
}
