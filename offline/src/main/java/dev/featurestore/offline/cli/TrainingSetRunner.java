/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.featurestore.offline.EntityFiles;
import dev.featurestore.offline.HistoricalFeatures;
import dev.featurestore.offline.TrainingSetOptions;
import dev.featurestore.offline.internal.DataFiles;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ResolvedFeature;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.spark.SparkSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Runs {@code training-set}: reads the entities, joins, writes Parquet and the manifest. */
public final class TrainingSetRunner {
  static final String MANIFEST = "_manifest.json";

  private TrainingSetRunner() {}

  /** Builds the training set; returns what was written to {@code _manifest.json}. */
  public static Manifest run(TrainingSetRequest request) {
    return run(request, FeatureRepo.open(request.repo()));
  }

  /** Builds the training set from an open repo (its latest applied version). */
  public static Manifest run(TrainingSetRequest request, FeatureRepo repo) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    RegistryVersion version = repo.latestApplied("build a training set");
    Definitions definitions = version.definitions();
    List<ResolvedFeature> features =
        request
            .featureService()
            .map(definitions::resolveService)
            .orElseGet(() -> definitions.resolveReferences(request.featureReferences()));
    Map<String, ValueType> joinKeyTypes = joinKeyTypes(definitions, features);
    Map<String, String> columnToKey = columnToJoinKey(request.joinKeyMap(), joinKeyTypes.keySet());
    TrainingSetOptions options =
        new TrainingSetOptions(
            request.fullFeatureNames(),
            request.timestampColumn(),
            columnToKey,
            request.broadcastLimit(),
            request.indexLimit());
    Map<String, String> keyToColumn = new HashMap<>();
    columnToKey.forEach((column, key) -> keyToColumn.put(key, column));
    Map<String, ValueType> columnTypes = new HashMap<>();
    joinKeyTypes.forEach((key, type) -> columnTypes.put(keyToColumn.getOrDefault(key, key), type));

    String entitiesLocation = location(request.entities());
    String outputLocation = location(request.output());
    EntityFiles.checkLocal(entitiesLocation); // before Spark starts: a typo costs no session
    SparkSession spark =
        SparkSessions.open("featurestore training-set", repo.config().sparkMaster());
    HistoricalFeatures historical = HistoricalFeatures.of(spark, definitions, repo::resolve);
    Dataset<Row> entities =
        EntityFiles.read(spark, entitiesLocation, request.timestampColumn(), columnTypes);
    Dataset<Row> result;
    try {
      result = historical.join(entities, features, options);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw sparkFailure(e);
    }
    checkOutput(outputLocation);

    // Listed before anything is written: a listing that fails stops the run, and the manifest
    // never records made-up counts.
    Manifest.FileSet entityFiles = files(entitiesLocation);
    List<Manifest.SourceFiles> sources = new ArrayList<>();
    for (FeatureView view :
        new LinkedHashSet<>(features.stream().map(ResolvedFeature::view).toList())) {
      sources.add(
          new Manifest.SourceFiles(
              view.name(),
              definitions.sourceOf(view).name(),
              files(historical.sourceLocation(view).toString())));
    }
    long inputRows;
    long outputRows;
    try {
      inputRows = entities.count();
      result.write().mode(SaveMode.Overwrite).parquet(outputLocation);
      outputRows = spark.read().parquet(outputLocation).count();
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw sparkFailure(e);
    }
    if (inputRows != outputRows) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot build a training set: read %d entity rows but wrote %d",
          inputRows,
          outputRows);
    }
    Manifest manifest =
        new Manifest(
            definitions.project(),
            version.number(),
            version.contentHash(),
            request.featureService().orElse(null),
            features.stream().map(ResolvedFeature::reference).toList(),
            List.of(result.columns()),
            entityFiles,
            sources,
            inputRows,
            outputRows,
            startedAt.toString(),
            (System.nanoTime() - start) / 1e9);
    writeManifest(outputLocation, manifest);
    return manifest;
  }

  /** A source file that cannot be read is a user error naming it; anything else goes on as is. */
  private static RuntimeException sparkFailure(Exception e) {
    Optional<FeatureStoreException> unreadable =
        SourceReader.unreadableFile("build a training set", e);
    if (unreadable.isPresent()) {
      return unreadable.get();
    }
    if (e instanceof RuntimeException runtime) {
      return runtime;
    }
    return new FeatureStoreException(
        ErrorCode.INTERNAL_ERROR, "Cannot build a training set: " + SourceReader.firstLine(e), e);
  }

  /** Every join key of the requested views with its type. */
  static Map<String, ValueType> joinKeyTypes(
      Definitions definitions, List<ResolvedFeature> features) {
    Map<String, ValueType> types = new LinkedHashMap<>();
    for (ResolvedFeature feature : features) {
      for (JoinKey key : definitions.joinKeysOf(feature.view())) {
        types.put(key.name(), key.type());
      }
    }
    return types;
  }

  /**
   * Orients {@code --join-key-map} pairs: in {@code K=V} the side that names a join key of the
   * requested views is the join key, the other the entity column.
   */
  static Map<String, String> columnToJoinKey(Map<String, String> pairs, Set<String> joinKeys) {
    Map<String, String> columnToKey = new LinkedHashMap<>();
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      boolean leftIsKey = joinKeys.contains(pair.getKey());
      boolean rightIsKey = joinKeys.contains(pair.getValue());
      if (leftIsKey == rightIsKey) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot use --join-key-map %s=%s: %s a join key of the requested feature views"
                + " (join keys: %s); write COLUMN=JOIN_KEY",
            pair.getKey(),
            pair.getValue(),
            leftIsKey ? "both sides are" : "neither side is",
            String.join(", ", new TreeSet<>(joinKeys)));
      }
      if (rightIsKey) {
        columnToKey.put(pair.getKey(), pair.getValue());
      } else {
        columnToKey.put(pair.getValue(), pair.getKey());
      }
    }
    return columnToKey;
  }

  /** A path as given, made absolute when it has no scheme. */
  static String location(String path) {
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !path.matches("^[a-zA-Z]:\\\\.*")) {
      return path;
    }
    return Path.of(path).toAbsolutePath().normalize().toUri().toString();
  }

  private static void checkOutput(String output) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(output);
      FileSystem fs = path.getFileSystem(new Configuration());
      if (!fs.exists(path)) {
        return;
      }
      boolean empty = fs.getFileStatus(path).isDirectory() && fs.listStatus(path).length == 0;
      if (!empty && !fs.exists(new org.apache.hadoop.fs.Path(path, MANIFEST))) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot write the training set to %s: it exists and is not an earlier training set"
                + " (no %s); choose a new or empty folder",
            output,
            MANIFEST);
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot check output folder %s: %s", output, e.getMessage());
    }
  }

  /**
   * Lists the data files at a location (a file, folder or glob; names starting _ or . skipped).
   *
   * @throws FeatureStoreException UNAVAILABLE when the location cannot be listed
   */
  static Manifest.FileSet files(String location) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(URI.create(location));
      FileSystem fs = path.getFileSystem(new Configuration());
      FileStatus[] matches = fs.globStatus(path);
      List<FileStatus> files = DataFiles.below(fs, matches == null ? new FileStatus[0] : matches);
      long bytes = files.stream().mapToLong(FileStatus::getLen).sum();
      long lastModified = files.stream().mapToLong(FileStatus::getModificationTime).max().orElse(0);
      return new Manifest.FileSet(
          location, files.size(), bytes, Instant.ofEpochMilli(lastModified).toString());
    } catch (IOException | IllegalArgumentException e) {
      throw new FeatureStoreException(
          ErrorCode.UNAVAILABLE,
          String.format(
              "Cannot list the files at %s for the manifest: %s",
              location, SourceReader.firstLine(e)),
          e);
    }
  }

  /** The one JSON form of {@code _manifest.json}, for writing and reading it. */
  private static ObjectMapper manifestMapper() {
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * Reads the manifest of a training set written by {@link #run}.
   *
   * @param action what the caller does, for messages: {@code compute drift}
   * @param trainingSet the training set's folder (a path or URI)
   * @throws FeatureStoreException NOT_FOUND when the folder has no manifest, INVALID_DATA when it
   *     is not a manifest, UNAVAILABLE when it cannot be read
   */
  public static Manifest readManifest(String action, String trainingSet) {
    String folder = location(trainingSet);
    org.apache.hadoop.fs.Path path =
        new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(folder), MANIFEST);
    try {
      FileSystem fs = path.getFileSystem(new Configuration());
      if (!fs.exists(path)) {
        throw FeatureStoreException.of(
            ErrorCode.NOT_FOUND,
            "Cannot %s: %s has no %s; give the --output folder of `featurestore training-set`",
            action,
            trainingSet,
            MANIFEST);
      }
      try (InputStream in = fs.open(path)) {
        return manifestMapper().readValue(in, Manifest.class);
      } catch (JsonProcessingException e) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_DATA,
            e,
            "Cannot %s: %s is not a training set manifest: %s",
            action,
            path,
            e.getOriginalMessage());
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot %s: cannot read %s: %s", action, path, e.getMessage());
    }
  }

  /** The folder of a training set as Spark reads it (absolute, with a scheme). */
  public static String trainingSetLocation(String trainingSet) {
    return location(trainingSet);
  }

  private static void writeManifest(String output, Manifest manifest) {
    org.apache.hadoop.fs.Path path =
        new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(output), MANIFEST);
    try (OutputStream out = path.getFileSystem(new Configuration()).create(path, true)) {
      manifestMapper().writeValue(out, manifest);
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot write %s: %s", path, e.getMessage());
    }
  }
}
