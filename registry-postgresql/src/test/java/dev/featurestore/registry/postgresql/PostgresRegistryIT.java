/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.testing.PostgresFixture;
import dev.featurestore.registry.testing.StatisticsRuns;
import dev.featurestore.registry.testing.TestDefinitions;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL registry does: tables, migrations, connection failures. */
class PostgresRegistryIT {
  private final PostgresFixture postgres = PostgresFixture.shared();
  private final String schema = PostgresFixture.uniqueSchema();

  private Registry open() {
    return Registries.open(RegistryLocation.of(URI.create(postgres.location(schema))));
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", postgres.user());
    properties.setProperty("password", postgres.password());
    return DriverManager.getConnection(postgres.jdbcUrl(), properties);
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql.replace("{s}", "\"" + schema + "\""));
    }
  }

  @Test
  void createsItsTablesOnceAndRecordsTheAuditLogAsRows() throws Exception {
    open().apply(TestDefinitions.rides());
    open().apply(TestDefinitions.ridesWithTtl(600));

    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM \""
                    + schema
                    + "\".schema_version),"
                    + " (SELECT string_agg(version || ':' || applied_by, ',' ORDER BY version)"
                    + " FROM \""
                    + schema
                    + "\".audit_log)")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(Migrations.latest());
      assertThat(rows.getString(2)).isEqualTo("1:unknown,2:unknown");
    }
  }

  @Test
  void versionsAndTheAuditLogAreAppendOnly() throws Exception {
    open().apply(TestDefinitions.rides());

    assertThatThrownBy(() -> execute("UPDATE {s}.versions SET content_hash = 'x'"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("the featurestore registry table versions is append-only");
    assertThatThrownBy(() -> execute("DELETE FROM {s}.audit_log"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("the featurestore registry table audit_log is append-only");
  }

  @Test
  void refusesARegistryWrittenInANewerFormat() throws Exception {
    open().apply(TestDefinitions.rides());
    execute(
        "INSERT INTO {s}.versions (number, content_hash, applied_at, format_version, document)"
            + " VALUES (2, 'x', now(), 2, '{}')");

    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot use registry "
                + RegistryLocation.redact(postgres.location(schema))
                + ": it was written in registry format 2, and this featurestore reads format 1 at"
                + " most; upgrade featurestore to a release that supports format 2");
  }

  @Test
  void refusesTablesOfANewerBuildWithoutTouchingThem() throws Exception {
    open();
    execute("INSERT INTO {s}.schema_version (version) VALUES (" + (Migrations.latest() + 1) + ")");

    assertThatThrownBy(this::open)
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot use registry "
                + RegistryLocation.redact(postgres.location(schema))
                + ": its tables are at schema version "
                + (Migrations.latest() + 1)
                + ", and this featurestore knows schema version "
                + Migrations.latest()
                + " at most; upgrade featurestore to the release that wrote them");
  }

  @Test
  void anUnreachableServerIsAnErrorNamingTheLocationWithoutThePassword() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String location = "postgresql://fs:topsecret@127.0.0.1:" + port + "/features";

    assertThatThrownBy(() -> Registries.open(RegistryLocation.of(URI.create(location))))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageStartingWith(
            "Cannot open registry postgresql://fs:***@127.0.0.1:" + port + "/features: ")
        .hasMessageContaining("Connection to 127.0.0.1:" + port + " refused")
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void aWrongPasswordIsAnErrorWithoutThePassword() {
    String location = postgres.location(schema).replace(postgres.password(), "wrong-password-123");

    assertThatThrownBy(() -> Registries.open(RegistryLocation.of(URI.create(location))))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot open registry " + RegistryLocation.redact(location) + ": ")
        .hasMessageContaining("password authentication failed for user \"" + postgres.user() + "\"")
        .hasMessageNotContaining("wrong-password-123");
  }

  @Test
  void takesThePasswordFromTheVariableNamedByPasswordEnv() {
    Registry registry =
        PostgresRegistry.open(
            PostgresSettings.of(
                new RegistryLocation(
                    URI.create(postgres.locationWithoutPassword(schema)),
                    Map.of("password_env", "TEST_REGISTRY_PASSWORD")),
                Map.of("TEST_REGISTRY_PASSWORD", postgres.password())::get));

    assertThat(registry.apply(TestDefinitions.rides()).version().number()).isEqualTo(1);
    assertThat(registry.location()).isEqualTo(postgres.locationWithoutPassword(schema));
  }

  @Test
  void upgradesARegistryOfSchemaVersionOneToTheStatisticsTableKeepingItsVersions()
      throws Exception {
    open().apply(TestDefinitions.rides());
    // Back to what the first release made: migration 1 only.
    execute("DROP TABLE {s}.statistics_runs");
    execute("DELETE FROM {s}.schema_version WHERE version > 1");

    Registry upgraded = open();
    assertThat(upgraded.history()).hasSize(1);
    StatisticsRun run = StatisticsRuns.full("driver_stats", "after-upgrade", Instant.EPOCH);
    upgraded.statistics().append(run);
    assertThat(open().statistics().runs("driver_stats")).containsExactly(run);
  }

  @Test
  void aCorruptStatisticsRowIsAnInternalErrorNamingIt() throws Exception {
    Registry registry = open();
    registry
        .statistics()
        .append(StatisticsRuns.run("driver_stats", "r1", Instant.parse("2026-11-01T00:00:00Z"), 3));
    execute("UPDATE {s}.statistics_runs SET document = '{\"run_id\": [' WHERE run_id = 'r1'");

    assertThatThrownBy(() -> open().statistics().runs("driver_stats"))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR))
        .hasMessageStartingWith(
            "Cannot read the statistics run 'r1' of view 'driver_stats' (\""
                + schema
                + "\".statistics_runs): Cannot read StatisticsRun from JSON: ")
        .hasMessageEndingWith(
            " (move the file or row away to keep the rest of the history readable)");
  }
}
