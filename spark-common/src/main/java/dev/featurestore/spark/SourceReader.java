/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.spark;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.SourceColumns;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one way the Spark jobs open a feature view's Parquet source: read it (Spark lists the files
 * and reads a footer, no data yet), check its schema against the definitions with {@link
 * SourceColumns} (the rule {@code plan} applies too), and hand back {@link SourceRows}, which
 * projects the columns as their declared types and filters the event time range so that Parquet
 * pushes it down.
 *
 * <p>Errors are {@code INVALID_DATA} and start with {@code Cannot <action>: }, the caller's action,
 * e.g. {@code materialize feature view 'driver_stats'}: an unreadable source (missing path, corrupt
 * footer) gives Spark's first line only; a schema problem gives the same wording as {@code plan},
 * followed by what to do.
 */
public final class SourceReader {
  private SourceReader() {}

  /**
   * Opens the source of one view and checks the columns it reads: the timestamp columns, the join
   * keys and the given features.
   *
   * @param action what the caller does, for messages: {@code materialize feature view 'v'}
   * @param location the source's resolved location, as Spark reads it
   * @throws FeatureStoreException INVALID_DATA when the source is unreadable or a column is missing
   *     or of a type that is not read as the declared one
   */
  public static SourceRows read(
      SparkSession spark,
      String action,
      FeatureView view,
      ParquetSource source,
      String location,
      List<JoinKey> joinKeys,
      List<Feature> features) {
    return read(
        spark, action, source, location, SourceColumns.uses(source, view, joinKeys, features));
  }

  /**
   * Opens a source and checks the given columns (see {@link #read(SparkSession, String,
   * FeatureView, ParquetSource, String, List, List)}).
   */
  public static SourceRows read(
      SparkSession spark,
      String action,
      ParquetSource source,
      String location,
      List<SourceColumns.Use> uses) {
    Dataset<Row> rows;
    try {
      rows = spark.read().parquet(location);
    } catch (Exception e) { // AnalysisException is checked, but Scala throws it undeclared.
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          String.format(
              "Cannot %s: cannot read source '%s' at %s: %s",
              action, source.name(), location, firstLine(rootCause(e))),
          e);
    }
    List<SourceColumns.Problem> problems =
        SourceColumns.check(source, SparkTypes.sourceTypeNames(rows.schema()), uses);
    if (!problems.isEmpty()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot %s: %s. The source no longer matches the view: fix the data or the"
              + " definition and apply again",
          action,
          problems.stream().map(SourceColumns.Problem::describe).collect(Collectors.joining("; ")));
    }
    return new SourceRows(rows, source);
  }

  /**
   * Returns the user error for a Spark job that failed because a source file could not be read
   * while the job ran (a corrupt file that was not the one whose footer gave the schema, a file
   * deleted meanwhile): Spark's {@code FAILED_READ_FILE} error condition, which names the file.
   * Empty for any other failure, and for one that is a {@link FeatureStoreException} already.
   *
   * @param action what the caller did, for the message: {@code build a training set}
   */
  public static Optional<FeatureStoreException> unreadableFile(String action, Throwable failure) {
    if (failure instanceof FeatureStoreException) {
      return Optional.empty();
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SparkThrowable spark
          && spark.getCondition() != null
          && spark.getCondition().startsWith("FAILED_READ_FILE")) {
        return Optional.of(
            new FeatureStoreException(
                ErrorCode.INVALID_DATA,
                String.format("Cannot %s: %s (%s)", action, firstLine(t), firstLine(rootCause(t))),
                failure));
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the innermost cause: for an unreadable file Spark wraps the reader's own message ("...
   * is not a Parquet file ...") in job-abort messages.
   */
  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /**
   * Returns the first line of an exception's message: Spark's messages go on with query plans and
   * advice that are noise on a terminal.
   */
  public static String firstLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.toString();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
