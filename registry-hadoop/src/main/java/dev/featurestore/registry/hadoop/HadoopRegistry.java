/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.StatisticsDocuments;
import dev.featurestore.registry.store.StatisticsHistory;
import dev.featurestore.registry.store.VersionJson;
import dev.featurestore.registry.store.Watermarks;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A registry on a Hadoop {@link FileSystem}, in the layout of {@link FileRegistry} (a registry
 * copied between the two stays readable):
 *
 * <pre>
 * &lt;registry&gt;/versions/v000001.json        one immutable file per version ({@link VersionJson})
 * &lt;registry&gt;/schemas/&lt;fingerprint&gt;.avsc   every feature view value schema ever applied
 * &lt;registry&gt;/watermarks/&lt;view&gt;.json     the materializer's watermarks
 * &lt;registry&gt;/statistics/&lt;view&gt;/&lt;time&gt;-&lt;run&gt;.json   the statistics history
 * </pre>
 *
 * <p><b>The commit.</b> An apply writes the new version completely to a temporary file in {@code
 * versions/} (a name readers ignore), closes it (on HDFS the close waits for the DataNodes to
 * acknowledge every block), and then commits by renaming it to the next {@code vNNNNNN.json}. There
 * is no lock: the rename is the compare-and-swap. It must fail when the target exists, atomically;
 * HDFS guarantees that (the NameNode applies a rename as one namespace operation and never
 * overwrites a file with {@code FileSystem.rename}), so of concurrent applies of one number exactly
 * one wins, a loser sees the winner's file and retries on the new latest (or, when it expected a
 * version, fails with CONFLICT). A crash before the rename leaves a temporary file that readers
 * ignore and that a later apply removes once it is an hour old (a younger one may be another
 * writer's, in flight); a version file is therefore either absent or complete. The audit entry is
 * part of the version file, so the audit log is as append-only as the versions.
 *
 * <p>What other file systems guarantee is in {@code docs/registry.md}: S3 (s3a) has no atomic
 * no-overwrite rename (a rename is a copy and a delete, its existence check races), so there it is
 * safe for one writer at a time only. Hadoop's local file system overwrites on rename, so a {@code
 * file:} URI is refused here: it is a {@link FileRegistry} (same layout, a hard-link commit).
 */
public final class HadoopRegistry implements Registry {
  static final String VERSIONS = "versions";
  static final String SCHEMAS = "schemas";
  static final String WATERMARKS = "watermarks";

  /** How old a temporary file must be before an apply removes it as a crash's leftover. */
  static final Duration LEFTOVER_AGE = Duration.ofHours(1);

  /** At most this many new schema files are written at once by one apply. */
  private static final int SCHEMA_WRITERS = 8;

  /** How often an apply without an expected version retries after losing the rename. */
  static final int MAX_ATTEMPTS = 1000;

  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{6,})\\.json");

  private final FileSystem fileSystem;
  private final Configuration configuration;
  private final Path root;
  private final String location;
  private final Map<Long, VersionJson.Document> cache = new ConcurrentHashMap<>();

  /** Runs after the new version is written and before it is committed; tests make it throw. */
  Runnable beforeCommit = () -> {};

  private HadoopRegistry(FileSystem fileSystem, Configuration configuration, Path root) {
    this.fileSystem = fileSystem;
    this.configuration = configuration;
    this.root = root;
    // s3a://key:secret@bucket is deprecated in Hadoop, but must never reach a message.
    this.location = RegistryLocation.redact(root.toString());
  }

  /**
   * Opens the registry at a Hadoop URI ({@code hdfs://namenode:8020/featurestore/registry}).
   * Opening connects to nothing yet and writes nothing: the folders are created by the first apply.
   *
   * @param uri the registry's folder
   * @param configuration Hadoop's configuration (e.g. {@code core-site.xml}, {@code hdfs-site.xml})
   * @throws FeatureStoreException INVALID_ARGUMENT when Hadoop has no file system for the scheme
   *     (e.g. s3a without hadoop-aws on the class path) or the URI is a local file
   */
  public static HadoopRegistry open(URI uri, Configuration configuration) {
    requireNonNull(uri, "uri is null");
    requireNonNull(configuration, "configuration is null");
    FileSystem fileSystem;
    try {
      fileSystem = FileSystem.get(uri, configuration);
    } catch (IOException | RuntimeException e) {
      // No FileSystem for the scheme, or its class (e.g. S3AFileSystem) is not on the class path.
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          e,
          "Cannot open registry %s: %s%s",
          RegistryLocation.redact(uri.toString()),
          e.getMessage(),
          "s3a".equals(uri.getScheme())
              ? " (s3a needs org.apache.hadoop:hadoop-aws and the AWS SDK bundle on the class"
                  + " path)"
              : "");
    }
    if (fileSystem instanceof LocalFileSystem || fileSystem instanceof RawLocalFileSystem) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot open registry %s through Hadoop: its local file system overwrites on rename, so"
              + " it cannot commit atomically; use the path or file: URI itself (a local registry,"
              + " same layout)",
          RegistryLocation.redact(uri.toString()));
    }
    return new HadoopRegistry(fileSystem, configuration, fileSystem.makeQualified(new Path(uri)));
  }

  @Override
  public Optional<RegistryVersion> latest() {
    List<Long> numbers = numbers();
    return numbers.isEmpty()
        ? Optional.empty()
        : Optional.of(version(numbers.get(numbers.size() - 1)));
  }

  @Override
  public RegistryVersion version(long number) {
    return document(number).version();
  }

  @Override
  public List<RegistryVersion> history() {
    return numbers().stream().map(this::version).toList();
  }

  @Override
  public Map<String, Long> schemaFingerprints(long number) {
    return document(number).schemaFingerprints();
  }

  @Override
  public ApplyResult apply(ApplyRequest request) {
    requireNonNull(request, "request is null");
    Map<String, Schema> schemas = Registries.valueSchemas(request.definitions());
    return unavailableOnIoError(
        "apply to",
        () -> {
          removeLeftovers();
          Map<String, Long> fingerprints = null;
          for (int attempt = 1; ; attempt++) {
            // The compare-and-swap rule of every backend, against the latest version read now.
            Optional<RegistryVersion> latest = latest();
            Optional<ApplyResult> unchanged = Registries.checkApply(location, latest, request);
            if (unchanged.isPresent()) {
              return unchanged.get();
            }
            RegistryVersion version = Registries.nextVersion(latest, request);
            if (fingerprints == null) {
              // Only for a new version; a schema file may stay unused if this apply fails.
              fingerprints = writeSchemas(schemas);
            }
            if (commit(version, fingerprints)) {
              return new ApplyResult(version, true);
            }
            if (attempt >= MAX_ATTEMPTS) {
              throw FeatureStoreException.of(
                  ErrorCode.CONFLICT,
                  "Cannot apply to registry %s: %d concurrent applies took every next version"
                      + " first; run plan again and retry",
                  location,
                  attempt);
            }
            // Lost the rename: loop to compare with the new latest (a CONFLICT when expected).
          }
        });
  }

  @Override
  public void append(RegistryVersion version, Map<String, Schema> schemas) {
    requireNonNull(version, "version is null");
    unavailableOnIoError(
        "append to",
        () -> {
          long latestNumber = latest().map(RegistryVersion::number).orElse(0L);
          if (version.number() != latestNumber + 1
              || !commit(version, writeSchemas(Map.copyOf(schemas)))) {
            throw FeatureStoreException.of(
                ErrorCode.CONFLICT,
                "Cannot append version %d to registry %s: its latest version is %d",
                version.number(),
                location,
                latest().map(RegistryVersion::number).orElse(0L));
          }
          return null;
        });
  }

  @Override
  public Optional<Schema> schema(long fingerprint) {
    Path file = new Path(new Path(root, SCHEMAS), FileRegistry.hex(fingerprint) + ".avsc");
    return unavailableOnIoError(
        "read a schema of",
        () -> {
          try {
            return Optional.of(
                new Schema.Parser().parse(new String(readAll(file), StandardCharsets.UTF_8)));
          } catch (FileNotFoundException e) {
            return Optional.empty();
          }
        });
  }

  @Override
  public Watermarks watermarks() {
    return new HadoopWatermarks(fileSystem, configuration, new Path(root, WATERMARKS));
  }

  @Override
  public StatisticsHistory statistics() {
    return new HadoopStatisticsHistory(
        fileSystem, new Path(root, StatisticsDocuments.FOLDER), location);
  }

  @Override
  public String location() {
    return location;
  }

  private VersionJson.Document document(long number) {
    VersionJson.Document cached = cache.get(number);
    if (cached != null) {
      return cached;
    }
    Path file = versionFile(number);
    byte[] bytes =
        unavailableOnIoError(
            "read",
            () -> {
              try {
                return readAll(file);
              } catch (FileNotFoundException e) {
                List<Long> numbers = numbers();
                throw FeatureStoreException.of(
                    ErrorCode.NOT_FOUND,
                    "Cannot find registry version %d: %s",
                    number,
                    numbers.isEmpty()
                        ? "nothing has been applied yet"
                        : "versions are 1 to " + numbers.get(numbers.size() - 1));
              }
            });
    VersionJson.Document document = VersionJson.decode(bytes, file.toString(), number);
    cache.put(number, document);
    return document;
  }

  /**
   * Commits a version: writes it to a temporary file, then renames that to the version's file.
   * Returns false, leaving nothing behind, when another writer committed that number first.
   */
  private boolean commit(RegistryVersion version, Map<String, Long> fingerprints)
      throws IOException {
    Path target = versionFile(version.number());
    Path temporary = writeTemporary(target, VersionJson.encode(version, fingerprints));
    beforeCommit.run();
    if (fileSystem.rename(temporary, target)) {
      return true;
    }
    fileSystem.delete(temporary, false);
    if (fileSystem.exists(target)) {
      return false;
    }
    throw new IOException("renaming " + temporary + " to " + target + " failed");
  }

  /** Writes every schema not stored yet (content-addressed: an existing file is the same). */
  private Map<String, Long> writeSchemas(Map<String, Schema> schemas) throws IOException {
    Map<String, Long> fingerprints = new LinkedHashMap<>();
    // The schema text is made here, in the calling thread: Avro's SchemaFormatter looks its
    // formats up through a shared ServiceLoader, which is not safe to use from several threads.
    Map<Path, byte[]> missing = new LinkedHashMap<>();
    for (Map.Entry<String, Schema> entry : schemas.entrySet()) {
      long fingerprint = FeatureViewSchemas.fingerprint(entry.getValue());
      fingerprints.put(entry.getKey(), fingerprint);
      Path file = new Path(new Path(root, SCHEMAS), FileRegistry.hex(fingerprint) + ".avsc");
      if (!missing.containsKey(file) && !fileSystem.exists(file)) {
        missing.put(
            file,
            SchemaFormatter.format("json/pretty", entry.getValue())
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    if (missing.size() <= 1) {
      for (Map.Entry<Path, byte[]> entry : missing.entrySet()) {
        writeSchema(entry.getKey(), entry.getValue());
      }
      return fingerprints;
    }
    // Each new file is a block write and a close the NameNode must confirm (about 0.2 s on a
    // one-DataNode HDFS here): one by one, the first apply of 200 views took 44 s. The files are
    // independent (content-addressed, each renamed into place on its own), so several are written
    // at once; the version that names them is committed only after all of them.
    ExecutorService writers =
        Executors.newFixedThreadPool(Math.min(SCHEMA_WRITERS, missing.size()));
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (Map.Entry<Path, byte[]> entry : missing.entrySet()) {
        writes.add(
            writers.submit(
                () -> {
                  writeSchema(entry.getKey(), entry.getValue());
                  return null;
                }));
      }
      for (Future<?> write : writes) {
        try {
          write.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IOException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          InterruptedIOException interrupted =
              new InterruptedIOException("interrupted while writing schema files");
          interrupted.initCause(e);
          throw interrupted;
        }
      }
    } finally {
      writers.shutdownNow();
    }
    return fingerprints;
  }

  private void writeSchema(Path file, byte[] bytes) throws IOException {
    Path temporary = writeTemporary(file, bytes);
    if (!fileSystem.rename(temporary, file)) {
      fileSystem.delete(temporary, false);
      if (!fileSystem.exists(file)) {
        throw new IOException("renaming " + temporary + " to " + file + " failed");
      }
    }
  }

  /** Writes a complete file next to {@code target}, under a name readers ignore. */
  private Path writeTemporary(Path target, byte[] bytes) throws IOException {
    Path temporary =
        new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try (FSDataOutputStream out = fileSystem.create(temporary, false)) {
      out.write(bytes);
      out.hsync();
    }
    return temporary;
  }

  /** Removes temporary files a crashed apply left, once no writer can still be using them. */
  private void removeLeftovers() throws IOException {
    long before = System.currentTimeMillis() - LEFTOVER_AGE.toMillis();
    for (String folder : List.of(VERSIONS, SCHEMAS)) {
      for (FileStatus status : list(new Path(root, folder))) {
        if (status.getPath().getName().endsWith(".tmp") && status.getModificationTime() < before) {
          fileSystem.delete(status.getPath(), false);
        }
      }
    }
  }

  private List<Long> numbers() {
    return unavailableOnIoError(
        "list the versions of",
        () -> {
          List<Long> numbers = new ArrayList<>();
          for (FileStatus status : list(new Path(root, VERSIONS))) {
            Matcher matcher = VERSION_FILE.matcher(status.getPath().getName());
            if (matcher.matches()) {
              numbers.add(Long.parseLong(matcher.group(1)));
            }
          }
          numbers.sort(null);
          return numbers;
        });
  }

  private FileStatus[] list(Path folder) throws IOException {
    try {
      return fileSystem.listStatus(folder);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }

  private byte[] readAll(Path file) throws IOException {
    try (FSDataInputStream in = fileSystem.open(file)) {
      return in.readAllBytes();
    }
  }

  private Path versionFile(long number) {
    return new Path(new Path(root, VERSIONS), String.format("v%06d.json", number));
  }

  private interface IoAction<T> {
    T run() throws IOException;
  }

  /** Runs an action; an I/O failure is UNAVAILABLE naming the registry and what failed. */
  private <T> T unavailableOnIoError(String what, IoAction<T> action) {
    try {
      return action.run();
    } catch (IOException | UncheckedIOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot %s registry %s: %s", what, location, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "HadoopRegistry[" + location + "]";
  }
}
