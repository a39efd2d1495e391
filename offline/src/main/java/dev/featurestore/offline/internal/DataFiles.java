/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Which files of a Parquet location are data, as Spark reads them: every file below the matches of
 * a path or glob, skipping names that start with {@code _} or {@code .} ({@code _SUCCESS}, {@code
 * _manifest.json}, checksum files) and what is below them. The plan's schema check and the training
 * set's manifest both count files this way.
 */
public final class DataFiles {
  private DataFiles() {}

  /** The data files below {@code matches} (files or folders), in listing order. */
  public static List<FileStatus> below(FileSystem fs, FileStatus... matches) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus match : matches) {
      collect(fs, match, files);
    }
    return files;
  }

  private static void collect(FileSystem fs, FileStatus status, List<FileStatus> files)
      throws IOException {
    String name = status.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, files);
      }
    } else {
      files.add(status);
    }
  }
}
