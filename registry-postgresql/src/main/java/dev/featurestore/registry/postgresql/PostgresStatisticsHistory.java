/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.store.StatisticsDocuments;
import dev.featurestore.registry.store.StatisticsHistory;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statistics history of a {@link PostgresRegistry}: one row of {@code statistics_runs} per run
 * (its {@link StatisticsDocuments} JSON in {@code document}; the other columns are for ordering and
 * for people querying the table). An insert is atomic; a second run with the same id for a view
 * fails on the primary key.
 */
final class PostgresStatisticsHistory implements StatisticsHistory {
  private static final String UNIQUE_VIOLATION = "23505";

  private final PostgresRegistry registry;
  private final String tables;

  PostgresStatisticsHistory(PostgresRegistry registry, String tables) {
    this.registry = registry;
    this.tables = tables;
  }

  @Override
  public void append(StatisticsRun run) {
    requireNonNull(run, "run is null");
    String document = StatisticsDocuments.encode(run);
    boolean inserted =
        registry.run(
            "store a statistics run in",
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO "
                          + tables
                          + ".statistics_runs (view_name, run_id, computed_at, origin,"
                          + " registry_version, document) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, run.view());
                insert.setString(2, run.runId());
                insert.setTimestamp(3, Timestamp.from(run.computedAt()));
                insert.setString(4, run.origin());
                insert.setLong(5, run.registryVersion());
                insert.setString(6, document);
                insert.executeUpdate();
                return true;
              } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                  return false;
                }
                throw e;
              }
            });
    if (!inserted) {
      throw FeatureStoreException.of(
          ErrorCode.CONFLICT,
          "Cannot append statistics run %s of feature view '%s' to registry %s: the view already"
              + " has a run with that id",
          run.runId(),
          run.view(),
          registry.location());
    }
  }

  @Override
  public List<StatisticsRun> runs(String view) {
    return read(view, "ORDER BY computed_at, run_id");
  }

  @Override
  public Optional<StatisticsRun> latest(String view) {
    // Microsecond timestamps in SQL; the exact order (nanoseconds) is decided in Java among the
    // newest rows.
    List<StatisticsRun> newest =
        read(
            view,
            "AND computed_at = (SELECT max(computed_at) FROM "
                + tables
                + ".statistics_runs WHERE view_name = ?)");
    return newest.isEmpty() ? Optional.empty() : Optional.of(newest.get(newest.size() - 1));
  }

  private List<StatisticsRun> read(String view, String rest) {
    requireNonNull(view, "view is null");
    List<Map.Entry<String, String>> rows =
        registry.run(
            "read the statistics history of",
            connection -> {
              List<Map.Entry<String, String>> all = new ArrayList<>();
              try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT run_id, document FROM "
                          + tables
                          + ".statistics_runs WHERE view_name = ? "
                          + rest)) {
                query.setString(1, view);
                if (rest.contains("?")) {
                  query.setString(2, view);
                }
                try (ResultSet result = query.executeQuery()) {
                  while (result.next()) {
                    all.add(Map.entry(result.getString(1), result.getString(2)));
                  }
                }
              }
              return all;
            });
    List<StatisticsRun> runs = new ArrayList<>();
    for (Map.Entry<String, String> row : rows) {
      runs.add(
          StatisticsDocuments.decode(
              row.getValue(),
              "'" + row.getKey() + "' of view '" + view + "' (" + tables + ".statistics_runs)",
              view));
    }
    runs.sort(StatisticsDocuments.ORDER);
    return runs;
  }

  @Override
  public List<String> views() {
    return registry.run(
        "read the statistics history of",
        connection -> {
          List<String> views = new ArrayList<>();
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "SELECT DISTINCT view_name FROM " + tables + ".statistics_runs")) {
            while (rows.next()) {
              views.add(rows.getString(1));
            }
          }
          views.sort(null); // Java's order, not the database collation's
          return views;
        });
  }
}
