/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import java.util.List;

/**
 * What {@code _manifest.json} records about a training set run.
 *
 * @param project the project
 * @param registryVersion the applied registry version used
 * @param registryContentHash that version's content hash
 * @param featureService the feature service, or null when references were given
 * @param featureReferences the resolved features ({@code view:feature}), in column order
 * @param columns the output columns
 * @param entities the entity input
 * @param sources the feature sources read
 * @param inputRows entity rows read
 * @param outputRows rows written
 * @param startedAt when the run started (UTC, ISO-8601)
 * @param seconds how long the run took
 */
public record Manifest(
    String project,
    long registryVersion,
    String registryContentHash,
    String featureService,
    List<String> featureReferences,
    List<String> columns,
    FileSet entities,
    List<SourceFiles> sources,
    long inputRows,
    long outputRows,
    String startedAt,
    double seconds) {

  /**
   * Files at a location: their count, total size and latest modification time.
   *
   * @param location the path or URI as resolved
   * @param files the number of data files
   * @param bytes their total size
   * @param lastModified the latest modification time (UTC, ISO-8601)
   */
  public record FileSet(String location, int files, long bytes, String lastModified) {}

  /** The source of a feature view and its files. */
  public record SourceFiles(String featureView, String source, FileSet data) {}
}
