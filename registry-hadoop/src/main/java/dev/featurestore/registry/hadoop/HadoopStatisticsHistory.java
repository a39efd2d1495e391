/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.store.StatisticsDocuments;
import dev.featurestore.registry.store.StatisticsHistory;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The statistics history of a {@link HadoopRegistry}, in the local registry's layout ({@code
 * statistics/<view>/<computed at>-<run id>.json}, {@link StatisticsDocuments}): a run is written
 * completely to a temporary file (closed, so acknowledged by the DataNodes on HDFS), then renamed
 * to its name, which never overwrites on HDFS. A crash leaves a temporary file that readers ignore.
 */
final class HadoopStatisticsHistory implements StatisticsHistory {
  private final FileSystem fileSystem;
  private final Path directory;
  private final String location;

  HadoopStatisticsHistory(FileSystem fileSystem, Path directory, String location) {
    this.fileSystem = fileSystem;
    this.directory = directory;
    this.location = location;
  }

  @Override
  public void append(StatisticsRun run) {
    requireNonNull(run, "run is null");
    Path folder = new Path(directory, StatisticsDocuments.folderOf(run.view()));
    Path target = new Path(folder, StatisticsDocuments.fileName(run));
    byte[] bytes = StatisticsDocuments.encode(run).getBytes(StandardCharsets.UTF_8);
    Path temporary = new Path(folder, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    boolean renamed;
    try {
      renamed = !hasRun(folder, run.runId());
      if (renamed) {
        try (FSDataOutputStream out = fileSystem.create(temporary, false)) {
          out.write(bytes);
          out.hsync();
        }
        renamed = fileSystem.rename(temporary, target);
        if (!renamed) {
          fileSystem.delete(temporary, false);
          if (!fileSystem.exists(target)) {
            throw new IOException("renaming " + temporary + " to " + target + " failed");
          }
        }
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot store statistics run %s of feature view '%s' in %s: %s",
          run.runId(),
          run.view(),
          target,
          e.getMessage());
    }
    if (!renamed) {
      throw FeatureStoreException.of(
          ErrorCode.CONFLICT,
          "Cannot append statistics run %s of feature view '%s' to registry %s: the view already"
              + " has a run with that id",
          run.runId(),
          run.view(),
          location);
    }
  }

  @Override
  public List<StatisticsRun> runs(String view) {
    Path folder = new Path(directory, StatisticsDocuments.folderOf(view));
    List<StatisticsRun> runs = new ArrayList<>();
    try {
      for (Path file : files(folder)) {
        String text;
        try (FSDataInputStream in = fileSystem.open(file)) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        runs.add(StatisticsDocuments.decode(text, file.toString(), view));
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot read the statistics history of feature view '%s' in %s: %s",
          view,
          folder,
          e.getMessage());
    }
    runs.sort(StatisticsDocuments.ORDER);
    return runs;
  }

  @Override
  public List<String> views() {
    List<String> views = new ArrayList<>();
    try {
      for (FileStatus status : list(directory)) {
        if (status.isDirectory() && !files(status.getPath()).isEmpty()) {
          views.add(status.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot list the statistics history in %s: %s",
          directory,
          e.getMessage());
    }
    views.sort(null);
    return views;
  }

  private boolean hasRun(Path folder, String runId) throws IOException {
    for (Path file : files(folder)) {
      if (StatisticsDocuments.runIdOf(file.getName()).orElseThrow().equals(runId)) {
        return true;
      }
    }
    return false;
  }

  private List<Path> files(Path folder) throws IOException {
    List<Path> files = new ArrayList<>();
    for (FileStatus status : list(folder)) {
      if (status.isFile() && StatisticsDocuments.runIdOf(status.getPath().getName()).isPresent()) {
        files.add(status.getPath());
      }
    }
    return files;
  }

  private FileStatus[] list(Path folder) throws IOException {
    try {
      return fileSystem.listStatus(folder);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }
}
