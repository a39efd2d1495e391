/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;

/**
 * A registry in a local folder.
 *
 * <pre>
 * &lt;registry&gt;/versions/v000001.json   one immutable file per version
 * &lt;registry&gt;/schemas/&lt;fingerprint&gt;.avsc  every feature view value schema ever applied
 * &lt;registry&gt;/watermarks/&lt;view&gt;.json  the materializer's watermarks ({@link FileWatermarks})
 * &lt;registry&gt;/statistics/&lt;view&gt;/&lt;time&gt;-&lt;run&gt;.json  the statistics history
 *                                     ({@link FileStatisticsHistory})
 * &lt;registry&gt;/.lock                  serializes applies (FileChannel.lock)
 * </pre>
 *
 * <p>An apply takes an exclusive lock (a JVM-wide lock plus an OS file lock, so threads and
 * processes serialize), writes the new version to a temporary file and forces it to disk, then
 * commits by hard-linking it to the next {@code vNNNNNN.json}, which fails if that file exists. A
 * crash before the link leaves only a temporary file that readers ignore and the next apply
 * removes; a version file is therefore either absent or complete. The audit entry of an apply is
 * part of its version file ({@link VersionJson}), so the audit log is exactly as complete and
 * append-only as the versions. The check of an apply's expected latest version happens under the
 * lock, which makes an apply a compare-and-swap.
 */
public final class FileRegistry implements Registry {
  static final String VERSIONS = "versions";
  static final String SCHEMAS = "schemas";
  static final String WATERMARKS = "watermarks";
  static final String LOCK_FILE = ".lock";
  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{6,})\\.json");
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Map<Long, VersionJson.Document> cache = new ConcurrentHashMap<>();

  /** Runs after the new version is written and before it is committed; tests make it throw. */
  Runnable beforeCommit = () -> {};

  private FileRegistry(Path directory) {
    this.directory = directory;
  }

  /**
   * Opens the registry in a local folder. Reading never writes: the folder is created by the first
   * {@link #apply}.
   */
  public static FileRegistry open(Path directory) {
    requireNonNull(directory, "directory is null");
    Path absolute = directory.toAbsolutePath().normalize();
    try {
      // The same folder reached through a symbolic link must share the JVM-wide lock.
      return new FileRegistry(Files.exists(absolute) ? absolute.toRealPath() : absolute);
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot open registry %s: %s", absolute, e);
    }
  }

  /** The registry folder. */
  public Path directory() {
    return directory;
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

  private VersionJson.Document document(long number) {
    VersionJson.Document cached = cache.get(number);
    if (cached != null) {
      return cached;
    }
    Path file = versionFile(number);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      List<Long> numbers = numbers();
      throw FeatureStoreException.of(
          ErrorCode.NOT_FOUND,
          "Cannot find registry version %d: %s",
          number,
          numbers.isEmpty()
              ? "nothing has been applied yet"
              : "versions are 1 to " + numbers.get(numbers.size() - 1));
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot read registry version %s: %s", file, e);
    }
    VersionJson.Document document = VersionJson.decode(bytes, file.toString(), number);
    cache.put(number, document);
    return document;
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
    return locked(
        () -> {
          Optional<RegistryVersion> latest = latest();
          Optional<ApplyResult> unchanged = Registries.checkApply(location(), latest, request);
          if (unchanged.isPresent()) {
            return unchanged.get();
          }
          RegistryVersion version = Registries.nextVersion(latest, request);
          commit(version, writeSchemas(Registries.valueSchemas(request.definitions())));
          return new ApplyResult(version, true);
        });
  }

  @Override
  public void append(RegistryVersion version, Map<String, Schema> schemas) {
    requireNonNull(version, "version is null");
    locked(
        () -> {
          long latestNumber = latest().map(RegistryVersion::number).orElse(0L);
          if (version.number() != latestNumber + 1) {
            throw FeatureStoreException.of(
                ErrorCode.CONFLICT,
                "Cannot append version %d to registry %s: its latest version is %d",
                version.number(),
                location(),
                latestNumber);
          }
          commit(version, writeSchemas(schemas));
          return null;
        });
  }

  @Override
  public Watermarks watermarks() {
    return new FileWatermarks(directory.resolve(WATERMARKS));
  }

  @Override
  public StatisticsHistory statistics() {
    return new FileStatisticsHistory(directory.resolve(StatisticsDocuments.FOLDER), location());
  }

  @Override
  public String location() {
    return directory.toString();
  }

  private interface LockedAction<T> {
    T run() throws IOException;
  }

  /** Runs an action holding the JVM-wide and the OS lock of this registry. */
  private <T> T locked(LockedAction<T> action) {
    try {
      Files.createDirectories(directory.resolve(VERSIONS));
      Files.createDirectories(directory.resolve(SCHEMAS));
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot create registry %s: %s", directory, e);
    }
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(directory, d -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel channel =
            FileChannel.open(
                directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      removeTemporaryFiles();
      return action.run();
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot apply to registry %s: %s", directory, e);
    } finally {
      jvmLock.unlock();
    }
  }

  private void commit(RegistryVersion version, Map<String, Long> fingerprints) throws IOException {
    byte[] bytes = VersionJson.encode(version, fingerprints);
    Path versions = directory.resolve(VERSIONS);
    Path target = versionFile(version.number());
    Path temporary = writeTemporary(versions, target.getFileName().toString(), bytes);
    beforeCommit.run();
    try {
      Files.createLink(target, temporary);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(temporary);
      throw FeatureStoreException.of(
          ErrorCode.CONFLICT,
          "Cannot apply version %d: another apply created it first; run plan again and retry",
          version.number());
    } catch (UnsupportedOperationException e) {
      // No hard links on this file system: the lock already excludes other writers.
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.deleteIfExists(temporary);
    forceDirectory(versions);
  }

  private Map<String, Long> writeSchemas(Map<String, Schema> schemas) throws IOException {
    Map<String, Long> fingerprints = new LinkedHashMap<>();
    Path folder = directory.resolve(SCHEMAS);
    for (Map.Entry<String, Schema> entry : schemas.entrySet()) {
      long fingerprint = FeatureViewSchemas.fingerprint(entry.getValue());
      fingerprints.put(entry.getKey(), fingerprint);
      Path file = folder.resolve(hex(fingerprint) + ".avsc");
      if (!Files.exists(file)) {
        byte[] bytes =
            SchemaFormatter.format("json/pretty", entry.getValue())
                .getBytes(StandardCharsets.UTF_8);
        Path temporary = writeTemporary(folder, file.getFileName().toString(), bytes);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    forceDirectory(folder);
    return fingerprints;
  }

  @Override
  public Optional<Schema> schema(long fingerprint) {
    Path file = directory.resolve(SCHEMAS).resolve(hex(fingerprint) + ".avsc");
    try {
      return Optional.of(new Schema.Parser().parse(Files.readString(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot read schema %s: %s", file, e);
    }
  }

  /** Formats a schema fingerprint as the registry stores it: 16 lowercase hex digits. */
  public static String hex(long fingerprint) {
    String hex = Long.toHexString(fingerprint);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private Path versionFile(long number) {
    return directory.resolve(VERSIONS).resolve(String.format("v%06d.json", number));
  }

  private List<Long> numbers() {
    List<Long> numbers = new ArrayList<>();
    if (!Files.isDirectory(directory.resolve(VERSIONS))) {
      return numbers;
    }
    try (Stream<Path> files = Files.list(directory.resolve(VERSIONS))) {
      files.forEach(
          f -> {
            Matcher matcher = VERSION_FILE.matcher(f.getFileName().toString());
            if (matcher.matches()) {
              numbers.add(Long.parseLong(matcher.group(1)));
            }
          });
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot list registry versions in %s: %s", directory, e);
    }
    numbers.sort(null);
    return numbers;
  }

  private static Path writeTemporary(Path folder, String name, byte[] bytes) throws IOException {
    Path temporary = folder.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    return temporary;
  }

  /** Removes temporary files left by an apply that crashed (called under the lock). */
  private void removeTemporaryFiles() throws IOException {
    for (String folder : List.of(VERSIONS, SCHEMAS)) {
      try (Stream<Path> files = Files.list(directory.resolve(folder))) {
        for (Path file : files.toList()) {
          if (file.getFileName().toString().endsWith(".tmp")) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  private static void forceDirectory(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not every platform can sync a directory; the files themselves are already forced.
    }
  }

  @Override
  public String toString() {
    return "FileRegistry[" + directory + "]";
  }
}
