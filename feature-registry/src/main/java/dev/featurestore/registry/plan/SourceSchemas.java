/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.parse.SourceSchemaReader;
import dev.featurestore.registry.repo.FeatureRepo;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The schemas of a repo's sources, each read once through the {@link SourceSchemaReader}s: {@code
 * plan} checks the definitions against them ({@link SourceSchemaCheck}) and takes the column types
 * of aggregations without {@code type:} from them ({@link AggregationTypes}).
 */
final class SourceSchemas {
  /** What reading one source gave. */
  sealed interface Schema permits Columns, Unreadable {}

  /**
   * The source's columns.
   *
   * @param columns column name to type name, in source order
   */
  record Columns(Map<String, String> columns) implements Schema {
    Columns {
      columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }
  }

  /** Why a source's columns are not known. */
  enum Why {
    /** No reader on the class path. */
    NO_READER,
    /** Nothing exists at the source's path. */
    MISSING,
    /** The source exists but has no data file yet, or no reader can check its location. */
    NO_DATA,
    /** Its data cannot be read (a corrupt footer, a failing file system). */
    FAILED
  }

  /**
   * A source whose columns are not known.
   *
   * @param why the kind of reason
   * @param location the resolved location of its data
   * @param failure what the reader threw, for {@link Why#FAILED}
   */
  record Unreadable(Why why, URI location, Optional<RuntimeException> failure) implements Schema {
    Unreadable {
      requireNonNull(why, "why is null");
      requireNonNull(location, "location is null");
      requireNonNull(failure, "failure is null");
    }

    /** The reason for a message about {@code source}: {@code nothing exists at data/trips}. */
    String reason(ParquetSource source) {
      return switch (why) {
        case NO_READER ->
            "no source schema reader on the class path; the offline module provides one";
        case MISSING -> "nothing exists at " + source.path();
        case NO_DATA -> "no data at " + source.path() + " yet";
        case FAILED -> failure.map(RuntimeException::getMessage).orElse("it failed");
      };
    }
  }

  private final Map<ParquetSource, Schema> schemas;
  private final boolean hasReaders;

  private SourceSchemas(Map<ParquetSource, Schema> schemas, boolean hasReaders) {
    this.schemas = schemas;
    this.hasReaders = hasReaders;
  }

  /** Returns the readers {@link ServiceLoader} finds on the class path. */
  static List<SourceSchemaReader> installedReaders() {
    List<SourceSchemaReader> readers = new ArrayList<>();
    ServiceLoader.load(SourceSchemaReader.class).forEach(readers::add);
    return readers;
  }

  /** Reads the schema of every source with the first reader that can (none: all unreadable). */
  static SourceSchemas read(
      FeatureRepo repo, List<ParquetSource> sources, List<SourceSchemaReader> readers) {
    Map<ParquetSource, Schema> schemas = new LinkedHashMap<>();
    for (ParquetSource source : sources) {
      schemas.computeIfAbsent(source, s -> read(repo.resolve(s.path()), readers));
    }
    return new SourceSchemas(schemas, !readers.isEmpty());
  }

  private static Schema read(URI location, List<SourceSchemaReader> readers) {
    if (readers.isEmpty()) {
      return new Unreadable(Why.NO_READER, location, Optional.empty());
    }
    try {
      return readers.stream()
          .map(reader -> reader.read(location))
          .flatMap(Optional::stream)
          .findFirst()
          .<Schema>map(Columns::new)
          .orElse(new Unreadable(Why.NO_DATA, location, Optional.empty()));
    } catch (FeatureStoreException e) {
      return new Unreadable(
          e.errorCode() == ErrorCode.NOT_FOUND ? Why.MISSING : Why.FAILED,
          location,
          Optional.of(e));
    } catch (RuntimeException e) {
      return new Unreadable(Why.FAILED, location, Optional.of(e));
    }
  }

  /** Whether a reader is on the class path. */
  boolean hasReaders() {
    return hasReaders;
  }

  /**
   * What reading a source gave.
   *
   * @throws IllegalArgumentException for a source that was not given to {@link #read}
   */
  Schema of(ParquetSource source) {
    Schema schema = schemas.get(source);
    if (schema == null) {
      throw new IllegalArgumentException("Source " + source.name() + " was not read");
    }
    return schema;
  }
}
