/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and upgrades a registry's tables. Each migration is a list of statements applied in one
 * transaction with its number recorded in {@code schema_version}; migrations only ever add (tables,
 * columns, indexes), so an upgrade never loses data. Concurrent openers serialize on an advisory
 * lock, and tables of a newer build than this one are refused, never touched.
 *
 * <pre>
 * schema_version(version, applied_at)                    one row per applied migration
 * versions(number PK, content_hash, applied_at,
 *          format_version, document)                     one row per immutable version (VersionJson)
 * audit_log(version PK/FK, applied_at, applied_by, host,
 *           git_commit, git_dirty, summary)              the audit entry of each version
 * schemas(fingerprint PK, schema)                        every feature view value schema ever applied
 * watermarks(view_name PK, watermark, updated_at)        the materializer's watermarks
 * statistics_runs(view_name, run_id, computed_at, origin,
 *                 registry_version, document)           (migration 2) the statistics history: one
 *                                                        row per run, PK (view_name, run_id),
 *                                                        document = StatisticsDocuments JSON
 * </pre>
 *
 * {@code versions} and {@code audit_log} refuse UPDATE and DELETE (a trigger), so the log is
 * append-only.
 */
final class Migrations {
  /** The migrations, in order: index 0 is version 1. {@code {s}} stands for the quoted schema. */
  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE {s}.schema_version (version integer PRIMARY KEY,"
                  + " applied_at timestamptz NOT NULL DEFAULT now())",
              "CREATE TABLE {s}.versions (number bigint PRIMARY KEY CHECK (number > 0),"
                  + " content_hash text NOT NULL, applied_at timestamptz NOT NULL,"
                  + " format_version integer NOT NULL, document text NOT NULL)",
              "CREATE TABLE {s}.audit_log (version bigint PRIMARY KEY REFERENCES {s}.versions(number),"
                  + " applied_at timestamptz NOT NULL, applied_by text NOT NULL, host text NOT NULL,"
                  + " git_commit text, git_dirty boolean, summary text NOT NULL)",
              "CREATE TABLE {s}.schemas (fingerprint bigint PRIMARY KEY, schema text NOT NULL)",
              "CREATE TABLE {s}.watermarks (view_name text PRIMARY KEY, watermark text NOT NULL,"
                  + " updated_at timestamptz NOT NULL)",
              "CREATE FUNCTION {s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS"
                  + " $$ BEGIN RAISE EXCEPTION 'the featurestore registry table % is append-only',"
                  + " TG_TABLE_NAME; END $$",
              "CREATE TRIGGER versions_append_only BEFORE UPDATE OR DELETE ON {s}.versions"
                  + " FOR EACH ROW EXECUTE FUNCTION {s}.refuse_change()",
              "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {s}.audit_log"
                  + " FOR EACH ROW EXECUTE FUNCTION {s}.refuse_change()"),
          // 2: the statistics history (issue 16). Not append-only by trigger: operators may prune
          // old runs with DELETE.
          List.of(
              "CREATE TABLE {s}.statistics_runs (view_name text NOT NULL, run_id text NOT NULL,"
                  + " computed_at timestamptz NOT NULL, origin text NOT NULL,"
                  + " registry_version bigint NOT NULL, document text NOT NULL,"
                  + " PRIMARY KEY (view_name, run_id))",
              "CREATE INDEX statistics_runs_by_time ON {s}.statistics_runs"
                  + " (view_name, computed_at, run_id)"));

  private Migrations() {}

  /** The newest table schema version this build knows. */
  static int latest() {
    return MIGRATIONS.size();
  }

  /**
   * Creates the schema and tables or brings them up to {@link #latest()}.
   *
   * @return the table schema version found before migrating (0: none)
   */
  static int migrate(Connection connection, String schema, String location) throws SQLException {
    String quoted = "\"" + schema + "\"";
    connection.setAutoCommit(false);
    try {
      try (PreparedStatement lock =
          connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, "featurestore-registry:" + schema);
        lock.execute();
      }
      int current = current(connection, schema);
      if (current > latest()) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot use registry %s: its tables are at schema version %d, and this featurestore"
                + " knows schema version %d at most; upgrade featurestore to the release that"
                + " wrote them",
            location,
            current,
            latest());
      }
      try (Statement statement = connection.createStatement()) {
        if (current == 0 && !schemaExists(connection, schema)) {
          statement.execute("CREATE SCHEMA " + quoted);
        }
        for (int version = current + 1; version <= latest(); version++) {
          for (String sql : MIGRATIONS.get(version - 1)) {
            statement.execute(sql.replace("{s}", quoted));
          }
          statement.execute(
              "INSERT INTO " + quoted + ".schema_version (version) VALUES (" + version + ")");
        }
      }
      connection.commit();
      return current;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static boolean schemaExists(Connection connection, String schema) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static int current(Connection connection, String schema) throws SQLException {
    try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?)")) {
      exists.setString(1, "\"" + schema + "\".schema_version");
      try (ResultSet rows = exists.executeQuery()) {
        rows.next();
        if (rows.getString(1) == null) {
          return 0;
        }
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT coalesce(max(version), 0) FROM \"" + schema + "\".schema_version")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
