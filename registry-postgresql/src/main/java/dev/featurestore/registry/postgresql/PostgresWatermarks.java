/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.store.Watermarks;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The watermarks of a {@link PostgresRegistry}: one row per view, replaced by an upsert. */
final class PostgresWatermarks implements Watermarks {
  private final PostgresRegistry registry;
  private final String tables;

  PostgresWatermarks(PostgresRegistry registry, String tables) {
    this.registry = registry;
    this.tables = tables;
  }

  @Override
  public Optional<Instant> read(String view) {
    Optional<String> text =
        registry.run(
            "read the watermarks of",
            connection -> {
              try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT watermark FROM " + tables + ".watermarks WHERE view_name = ?")) {
                query.setString(1, view);
                try (ResultSet rows = query.executeQuery()) {
                  return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
              }
            });
    return text.map(t -> parse(view, t));
  }

  private Instant parse(String view, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          e,
          "Cannot read the watermark of feature view '%s' from registry %s: '%s' is not an"
              + " ISO-8601 instant (delete its row of %s.watermarks to start again from end - ttl)",
          view,
          registry.location(),
          text,
          tables);
    }
  }

  @Override
  public void write(String view, Instant watermark) {
    registry.run(
        "store a watermark in",
        connection -> {
          try (PreparedStatement upsert =
              connection.prepareStatement(
                  "INSERT INTO "
                      + tables
                      + ".watermarks (view_name, watermark, updated_at) VALUES (?, ?, ?)"
                      + " ON CONFLICT (view_name) DO UPDATE SET watermark = excluded.watermark,"
                      + " updated_at = excluded.updated_at")) {
            upsert.setString(1, view);
            upsert.setString(2, watermark.toString());
            upsert.setTimestamp(3, Timestamp.from(Instant.now()));
            upsert.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Map<String, Instant> all() {
    Map<String, String> texts =
        registry.run(
            "read the watermarks of",
            connection -> {
              Map<String, String> all = new TreeMap<>();
              try (Statement statement = connection.createStatement();
                  ResultSet rows =
                      statement.executeQuery(
                          "SELECT view_name, watermark FROM " + tables + ".watermarks")) {
                while (rows.next()) {
                  all.put(rows.getString(1), rows.getString(2));
                }
              }
              return all;
            });
    Map<String, Instant> all = new TreeMap<>();
    texts.forEach((view, text) -> all.put(view, parse(view, text)));
    return all;
  }
}
