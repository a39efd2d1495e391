/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import dev.featurestore.registry.parse.SourceSchemaReader;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written {@link SourceSchemaReader} registered in this module's test resources: it knows
 * the schemas tests put in {@link #SCHEMAS}, throws what they put in {@link #FAILURES} (as a reader
 * does for nothing at a path or a corrupt footer) and reports every other source as without data.
 */
public final class FakeSourceSchemaReader implements SourceSchemaReader {
  /** Column types by source location. */
  static final Map<URI, Map<String, String>> SCHEMAS = new ConcurrentHashMap<>();

  /** What reading a source location throws. */
  static final Map<URI, RuntimeException> FAILURES = new ConcurrentHashMap<>();

  @Override
  public Optional<Map<String, String>> read(URI source) {
    RuntimeException failure = FAILURES.get(source);
    if (failure != null) {
      throw failure;
    }
    return Optional.ofNullable(SCHEMAS.get(source));
  }
}
