/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.quality.StatisticsRun;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The statistics history of a {@link FileRegistry}: one file per run, {@code
 * <registry>/statistics/<view>/<computed at>-<run id>.json} ({@link StatisticsDocuments}).
 *
 * <p>A run is written to a temporary file that is forced to disk, then hard-linked to its name,
 * which fails if that name exists (as a version is committed): a run file is either absent or
 * complete, and a crash leaves only a temporary file that readers ignore and a later append removes
 * once it is an hour old. Appends need no lock: every run has its own file.
 */
public final class FileStatisticsHistory implements StatisticsHistory {
  private static final Duration LEFTOVER_AGE = Duration.ofHours(1);

  private final Path directory;
  private final String location;

  /**
   * The history in a folder.
   *
   * @param directory the folder (the registry's {@code statistics/})
   * @param location the registry, for messages
   */
  public FileStatisticsHistory(Path directory, String location) {
    this.directory = requireNonNull(directory, "directory is null");
    this.location = requireNonNull(location, "location is null");
  }

  @Override
  public void append(StatisticsRun run) {
    requireNonNull(run, "run is null");
    Path folder = directory.resolve(StatisticsDocuments.folderOf(run.view()));
    Path target = folder.resolve(StatisticsDocuments.fileName(run));
    byte[] bytes = StatisticsDocuments.encode(run).getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(folder);
      removeLeftovers(folder);
      if (find(folder, run.runId()).isPresent()) {
        throw duplicate(run);
      }
      Path temporary =
          folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
      try {
        try (FileChannel channel =
            FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
        try {
          Files.createLink(target, temporary);
        } catch (UnsupportedOperationException e) {
          // No hard links here: a rename that never replaces (the name was checked above).
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (FileAlreadyExistsException e) {
      throw duplicate(run);
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot store statistics run %s of feature view '%s' in %s: %s",
          run.runId(),
          run.view(),
          target,
          e);
    }
  }

  private FeatureStoreException duplicate(StatisticsRun run) {
    return FeatureStoreException.of(
        ErrorCode.CONFLICT,
        "Cannot append statistics run %s of feature view '%s' to registry %s: the view already has"
            + " a run with that id",
        run.runId(),
        run.view(),
        location);
  }

  @Override
  public List<StatisticsRun> runs(String view) {
    requireNonNull(view, "view is null");
    List<StatisticsRun> runs = new ArrayList<>();
    for (Path file : files(directory.resolve(StatisticsDocuments.folderOf(view)))) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw FeatureStoreException.of(
            ErrorCode.UNAVAILABLE, e, "Cannot read the statistics run %s: %s", file, e);
      }
      runs.add(StatisticsDocuments.decode(text, file.toString(), view));
    }
    runs.sort(StatisticsDocuments.ORDER);
    return runs;
  }

  @Override
  public List<String> views() {
    List<String> views = new ArrayList<>();
    for (Path folder : list(directory)) {
      if (Files.isDirectory(folder) && !files(folder).isEmpty()) {
        views.add(folder.getFileName().toString());
      }
    }
    views.sort(null);
    return views;
  }

  /** The run files of a view's folder (not temporary or stray files). */
  private List<Path> files(Path folder) {
    return list(folder).stream()
        .filter(f -> StatisticsDocuments.runIdOf(f.getFileName().toString()).isPresent())
        .toList();
  }

  private Optional<Path> find(Path folder, String runId) {
    return files(folder).stream()
        .filter(
            f ->
                StatisticsDocuments.runIdOf(f.getFileName().toString()).orElseThrow().equals(runId))
        .findFirst();
  }

  private List<Path> list(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot list the statistics history in %s: %s", folder, e);
    }
  }

  private void removeLeftovers(Path folder) throws IOException {
    FileTime before = FileTime.from(Instant.now().minus(LEFTOVER_AGE));
    for (Path file : list(folder)) {
      String name = file.getFileName().toString();
      if (name.startsWith(".")
          && name.endsWith(".tmp")
          && Files.getLastModifiedTime(file).compareTo(before) < 0) {
        Files.deleteIfExists(file);
      }
    }
  }
}
