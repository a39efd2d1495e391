/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.store.ApplyAudit;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryFormat;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.StatisticsHistory;
import dev.featurestore.registry.store.VersionJson;
import dev.featurestore.registry.store.Watermarks;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry in a PostgreSQL schema (tables: {@link Migrations}). A version is one row holding its
 * {@link VersionJson} document; its audit entry is a row of {@code audit_log} and its new value
 * schemas rows of {@code schemas}, all written in one transaction. The version number is the
 * primary key, so of two concurrent applies that read the same latest version, the second insert
 * fails with a unique violation and nothing of it is committed: the compare-and-swap. A crash
 * before the commit leaves nothing (PostgreSQL rolls the transaction back).
 *
 * <p>Every call opens a short connection (the registry is read once per command, and the online
 * service polls {@link #latest()} every few seconds); versions and schemas are cached, being
 * immutable.
 */
public final class PostgresRegistry implements Registry {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final int APPLY_ATTEMPTS = 50;

  private final PostgresSettings settings;
  private final String tables;
  private final Map<Long, VersionJson.Document> cache = new ConcurrentHashMap<>();
  private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();

  /** Runs inside an apply's transaction after every row is written, before the commit. */
  Runnable beforeCommit = () -> {};

  private PostgresRegistry(PostgresSettings settings) {
    this.settings = settings;
    this.tables = "\"" + settings.schema() + "\"";
  }

  /** Connects, creates or upgrades the tables, and checks the registry format. */
  static PostgresRegistry open(PostgresSettings settings) {
    requireNonNull(settings, "settings is null");
    PostgresRegistry registry = new PostgresRegistry(settings);
    registry.run(
        "open",
        connection -> {
          Migrations.migrate(connection, settings.schema(), settings.redacted());
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "SELECT coalesce(max(format_version), 0) FROM "
                          + registry.tables
                          + ".versions")) {
            rows.next();
            RegistryFormat.check(settings.redacted(), rows.getInt(1));
          }
          return null;
        });
    return registry;
  }

  @Override
  public Optional<RegistryVersion> latest() {
    OptionalLong number = run("read", this::latestNumber);
    return number.isPresent() ? Optional.of(version(number.getAsLong())) : Optional.empty();
  }

  private OptionalLong latestNumber(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT number FROM " + tables + ".versions ORDER BY number DESC LIMIT 1")) {
      return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
    }
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
    Optional<String> text = readText("document", "versions", "number", number);
    if (text.isEmpty()) {
      OptionalLong latest = run("read", this::latestNumber);
      throw FeatureStoreException.of(
          ErrorCode.NOT_FOUND,
          "Cannot find registry version %d: %s",
          number,
          latest.isEmpty()
              ? "nothing has been applied yet"
              : "versions are 1 to " + latest.getAsLong());
    }
    VersionJson.Document document = decode(number, text.get());
    cache.put(number, document);
    return document;
  }

  @Override
  public List<RegistryVersion> history() {
    // One query for every version not cached yet (versions are immutable).
    long cachedUpTo = 0;
    while (cache.containsKey(cachedUpTo + 1)) {
      cachedUpTo++;
    }
    long after = cachedUpTo;
    List<Long> numbers =
        run(
            "read",
            connection -> {
              List<Long> all = new ArrayList<>();
              try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT number, CASE WHEN number > ? THEN document END FROM "
                          + tables
                          + ".versions ORDER BY number")) {
                query.setLong(1, after);
                try (ResultSet rows = query.executeQuery()) {
                  while (rows.next()) {
                    long number = rows.getLong(1);
                    String document = rows.getString(2);
                    if (document != null && !cache.containsKey(number)) {
                      cache.put(number, decode(number, document));
                    }
                    all.add(number);
                  }
                }
              }
              return all;
            });
    return numbers.stream().map(this::version).toList();
  }

  private VersionJson.Document decode(long number, String document) {
    return VersionJson.decode(
        document.getBytes(StandardCharsets.UTF_8),
        settings.redacted() + " (version " + number + ")",
        number);
  }

  @Override
  public Map<String, Long> schemaFingerprints(long number) {
    return document(number).schemaFingerprints();
  }

  @Override
  public ApplyResult apply(ApplyRequest request) {
    requireNonNull(request, "request is null");
    Map<String, Schema> viewSchemas = Registries.valueSchemas(request.definitions());
    for (int attempt = 1; ; attempt++) {
      try {
        return run(
            "apply to",
            connection -> {
              connection.setAutoCommit(false);
              try {
                Optional<RegistryVersion> latest = latestOf(latestNumber(connection));
                Optional<ApplyResult> unchanged =
                    Registries.checkApply(location(), latest, request);
                if (unchanged.isPresent()) {
                  connection.rollback();
                  return unchanged.get();
                }
                RegistryVersion version = Registries.nextVersion(latest, request);
                insert(connection, version, viewSchemas);
                beforeCommit.run();
                connection.commit();
                return new ApplyResult(version, true);
              } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
              }
            });
      } catch (FeatureStoreException e) {
        // Another apply took the number first: without an expectation, go again after it.
        if (!isLostRace(e) || request.expectedLatest().isPresent() || attempt >= APPLY_ATTEMPTS) {
          if (isLostRace(e) && request.expectedLatest().isPresent()) {
            throw Registries.conflict(location(), request.expectedLatest().getAsLong(), latest());
          }
          throw e;
        }
      }
    }
  }

  private Optional<RegistryVersion> latestOf(OptionalLong number) {
    return number.isPresent() ? Optional.of(version(number.getAsLong())) : Optional.empty();
  }

  private static boolean isLostRace(FeatureStoreException e) {
    return e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
  }

  @Override
  public void append(RegistryVersion version, Map<String, Schema> viewSchemas) {
    requireNonNull(version, "version is null");
    run(
        "append to",
        connection -> {
          connection.setAutoCommit(false);
          try {
            long latest = latestNumber(connection).orElse(0L);
            if (version.number() != latest + 1) {
              throw FeatureStoreException.of(
                  ErrorCode.CONFLICT,
                  "Cannot append version %d to registry %s: its latest version is %d",
                  version.number(),
                  location(),
                  latest);
            }
            insert(connection, version, viewSchemas);
            connection.commit();
            return null;
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
          }
        });
  }

  private void insert(
      Connection connection, RegistryVersion version, Map<String, Schema> viewSchemas)
      throws SQLException {
    Map<String, Long> fingerprints = new LinkedHashMap<>();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + tables
                + ".schemas (fingerprint, schema) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      for (Map.Entry<String, Schema> entry : viewSchemas.entrySet()) {
        long fingerprint = FeatureViewSchemas.fingerprint(entry.getValue());
        fingerprints.put(entry.getKey(), fingerprint);
        insert.setLong(1, fingerprint);
        insert.setString(2, entry.getValue().toString());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + tables
                + ".versions (number, content_hash, applied_at, format_version, document)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setLong(1, version.number());
      insert.setString(2, version.contentHash());
      insert.setTimestamp(3, Timestamp.from(version.appliedAt()));
      insert.setInt(4, RegistryFormat.CURRENT);
      insert.setString(
          5, new String(VersionJson.encode(version, fingerprints), StandardCharsets.UTF_8));
      insert.executeUpdate();
    }
    if (version.audit().isPresent()) {
      ApplyAudit audit = version.audit().get();
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + tables
                  + ".audit_log (version, applied_at, applied_by, host, git_commit, git_dirty,"
                  + " summary) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        insert.setLong(1, version.number());
        insert.setTimestamp(2, Timestamp.from(version.appliedAt()));
        insert.setString(3, audit.user());
        insert.setString(4, audit.host());
        insert.setString(5, audit.git().map(ApplyAudit.GitState::commit).orElse(null));
        insert.setObject(6, audit.git().map(ApplyAudit.GitState::dirty).orElse(null));
        insert.setString(7, audit.summary());
        insert.executeUpdate();
      }
    }
  }

  @Override
  public Optional<Schema> schema(long fingerprint) {
    Schema cached = schemas.get(fingerprint);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<String> text = readText("schema", "schemas", "fingerprint", fingerprint);
    Optional<Schema> schema = text.map(t -> new Schema.Parser().parse(t));
    schema.ifPresent(s -> schemas.put(fingerprint, s));
    return schema;
  }

  @Override
  public Watermarks watermarks() {
    return new PostgresWatermarks(this, tables);
  }

  @Override
  public StatisticsHistory statistics() {
    return new PostgresStatisticsHistory(this, tables);
  }

  @Override
  public String location() {
    return settings.redacted();
  }

  /** A unit of work on one connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs work on a new connection; an SQL failure becomes UNAVAILABLE naming the registry without
   * its password.
   */
  <T> T run(String action, Work<T> work) {
    try (Connection connection =
        DriverManager.getConnection(settings.jdbcUrl(), settings.properties())) {
      return work.run(connection);
    } catch (SQLException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE,
          e,
          "Cannot %s registry %s: %s",
          action,
          settings.redacted(),
          e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "PostgresRegistry[" + settings.redacted() + "]";
  }

  /**
   * The text column {@code column} of the row of {@code table} whose {@code key} is {@code value}.
   */
  private Optional<String> readText(String column, String table, String key, long value) {
    return run(
        "read",
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT " + column + " FROM " + tables + "." + table + " WHERE " + key
                      + " = ?")) {
            query.setLong(1, value);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }
}
