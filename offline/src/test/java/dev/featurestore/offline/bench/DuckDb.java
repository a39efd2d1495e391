/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmarks' DuckDB: an in-memory database with 2 threads, 4 GB unless told otherwise and a
 * spill folder.
 */
final class DuckDb {
  private DuckDb() {}

  /** A new in-memory connection with the benchmarks' settings; the caller closes it. */
  static Connection open() throws SQLException, IOException {
    return open("4GB");
  }

  /** The same with another memory limit (e.g. {@code 13GB}). */
  static Connection open(String memoryLimit) throws SQLException, IOException {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET threads = 2");
      statement.execute("SET memory_limit = '" + memoryLimit + "'");
      // DuckDB spills to ./.tmp of the working directory unless told otherwise (34 GB seen once).
      Path spill =
          Files.createDirectories(Path.of("offline", "target", "duckdb-tmp").toAbsolutePath());
      statement.execute("SET temp_directory = '" + spill + "'");
    } catch (SQLException | IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
