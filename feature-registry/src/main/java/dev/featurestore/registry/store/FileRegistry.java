/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
 * &lt;registry&gt;/.lock                  serializes applies (FileChannel.lock)
 * </pre>
 *
 * <p>An apply takes an exclusive lock (a JVM-wide lock plus an OS file lock, so threads and
 * processes serialize), writes the new version to a temporary file and forces it to disk, then
 * commits by hard-linking it to the next {@code vNNNNNN.json}, which fails if that file exists. A
 * crash before the link leaves only a temporary file that readers ignore and the next apply
 * removes; a version file is therefore either absent or complete.
 */
public final class FileRegistry implements Registry {
  static final String VERSIONS = "versions";
  static final String SCHEMAS = "schemas";
  static final String LOCK_FILE = ".lock";
  static final int FORMAT_VERSION = 1;
  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{6,})\\.json");
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Map<Long, RegistryVersion> cache = new ConcurrentHashMap<>();

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
    RegistryVersion cached = cache.get(number);
    if (cached != null) {
      return cached;
    }
    Path file = versionFile(number);
    JsonNode root;
    try {
      root = DefinitionsJson.MAPPER.readTree(Files.readAllBytes(file));
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
    Instant appliedAt;
    try {
      appliedAt = Instant.parse(root.path("applied_at").asText());
    } catch (DateTimeParseException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          e,
          "Cannot read registry version %d: %s has an invalid applied_at '%s' (expected an"
              + " ISO-8601 instant)",
          number,
          file,
          root.path("applied_at").asText());
    }
    RegistryVersion version =
        new RegistryVersion(
            root.path("number").asLong(),
            root.path("content_hash").asText(),
            appliedAt,
            DefinitionsJson.fromJson(root.path("definitions")));
    if (version.number() != number) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot read registry version %d: %s holds number %d",
          number,
          file,
          version.number());
    }
    cache.put(number, version);
    return version;
  }

  @Override
  public List<RegistryVersion> history() {
    return numbers().stream().map(this::version).toList();
  }

  /** Returns the feature view schema fingerprints a version recorded, by view name. */
  public Map<String, Long> schemaFingerprints(long number) {
    version(number);
    try {
      JsonNode root = DefinitionsJson.MAPPER.readTree(Files.readAllBytes(versionFile(number)));
      Map<String, Long> fingerprints = new LinkedHashMap<>();
      root.path("schema_fingerprints")
          .properties()
          .forEach(
              e -> fingerprints.put(e.getKey(), Long.parseUnsignedLong(e.getValue().asText(), 16)));
      return fingerprints;
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot read registry version %s: %s", number, e);
    }
  }

  @Override
  public ApplyResult apply(Definitions definitions) {
    requireNonNull(definitions, "definitions is null");
    String hash = DefinitionsJson.contentHash(definitions);
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
      Optional<RegistryVersion> latest = latest();
      if (latest.isPresent() && latest.get().contentHash().equals(hash)) {
        return new ApplyResult(latest.get(), false);
      }
      removeTemporaryFiles();
      long number = latest.map(v -> v.number() + 1).orElse(1L);
      RegistryVersion version =
          new RegistryVersion(
              number, hash, Instant.now().truncatedTo(ChronoUnit.MILLIS), definitions);
      Map<String, Long> fingerprints = writeSchemas(definitions);
      commit(version, fingerprints);
      cache.put(number, version);
      return new ApplyResult(version, true);
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot apply to registry %s: %s", directory, e);
    } finally {
      jvmLock.unlock();
    }
  }

  private void commit(RegistryVersion version, Map<String, Long> fingerprints) throws IOException {
    ObjectNode root = DefinitionsJson.MAPPER.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("number", version.number());
    root.put("content_hash", version.contentHash());
    root.put("applied_at", version.appliedAt().toString());
    ObjectNode schemas = root.putObject("schema_fingerprints");
    fingerprints.forEach((view, fp) -> schemas.put(view, hex(fp)));
    root.set("definitions", DefinitionsJson.toJson(version.definitions()));
    byte[] bytes = DefinitionsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
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

  private Map<String, Long> writeSchemas(Definitions definitions) throws IOException {
    Map<String, Long> fingerprints = new LinkedHashMap<>();
    Path schemas = directory.resolve(SCHEMAS);
    for (FeatureView view : definitions.featureViews()) {
      Schema schema = FeatureViewSchemas.schemaOf(definitions.project(), view);
      long fingerprint = FeatureViewSchemas.fingerprint(schema);
      fingerprints.put(view.name(), fingerprint);
      Path file = schemas.resolve(hex(fingerprint) + ".avsc");
      if (!Files.exists(file)) {
        byte[] bytes =
            SchemaFormatter.format("json/pretty", schema).getBytes(StandardCharsets.UTF_8);
        Path temporary = writeTemporary(schemas, file.getFileName().toString(), bytes);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    forceDirectory(schemas);
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
