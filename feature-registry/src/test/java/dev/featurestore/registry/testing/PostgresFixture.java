/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The one source of a real PostgreSQL for tests, shared by every test of a JVM (never the shared
 * instance on port 5432):
 *
 * <ol>
 *   <li>the server in {@code FEATURESTORE_TEST_POSTGRES_URL} (e.g. {@code
 *       postgresql://user:secret@127.0.0.1:5433/test}) if set;
 *   <li>else a Testcontainers {@code postgres:16-alpine} container when a Docker engine is
 *       available;
 *   <li>else a private server started with the machine's {@code initdb} and {@code pg_ctl} (from
 *       {@code FEATURESTORE_TEST_POSTGRES_BIN}, else the newest {@code /usr/lib/postgresql/*}/bin)
 *       on a free port in a temporary folder, with password authentication; as root, it runs as the
 *       {@code postgres} user (PostgreSQL refuses to run as root).
 * </ol>
 *
 * Tests isolate themselves with a registry schema of their own ({@link #location(String)}).
 */
public final class PostgresFixture {
  /** Environment variable with the URI of an externally provided PostgreSQL. */
  public static final String ENV = "FEATURESTORE_TEST_POSTGRES_URL";

  /** Environment variable with the folder of initdb and pg_ctl. */
  public static final String BIN_ENV = "FEATURESTORE_TEST_POSTGRES_BIN";

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresFixture shared;

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final String kind;

  private PostgresFixture(
      String host, int port, String database, String user, String password, String kind) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.kind = kind;
  }

  /** Returns the JVM-wide PostgreSQL, starting it on first use. */
  public static synchronized PostgresFixture shared() {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  private static PostgresFixture create() {
    String configured = System.getenv(ENV);
    if (configured != null && !configured.isBlank()) {
      URI uri = URI.create(configured.trim());
      String[] info = Optional.ofNullable(uri.getUserInfo()).orElse("postgres:").split(":", 2);
      return new PostgresFixture(
          uri.getHost(),
          uri.getPort() < 0 ? 5432 : uri.getPort(),
          uri.getPath().replaceFirst("^/", ""),
          info[0],
          info.length > 1 ? info[1] : "",
          "environment");
    }
    if (dockerAvailable()) {
      GenericContainer<?> container =
          new GenericContainer<>("postgres:16-alpine")
              .withEnv("POSTGRES_USER", "featurestore")
              .withEnv("POSTGRES_PASSWORD", "featurestore-test")
              .withEnv("POSTGRES_DB", "featurestore")
              .withExposedPorts(5432);
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new PostgresFixture(
          container.getHost(),
          container.getMappedPort(5432),
          "featurestore",
          "featurestore",
          "featurestore-test",
          "testcontainers");
    }
    return startPrivateServer();
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The folder with initdb and pg_ctl, when PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    String configured = System.getenv(BIN_ENV);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured.trim()));
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(PostgresFixture::majorVersion));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static PostgresFixture startPrivateServer() {
    Path bin =
        binaries()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Cannot start a PostgreSQL for tests: no Docker engine, no "
                            + ENV
                            + " and no /usr/lib/postgresql/*/bin/pg_ctl (apt-get install -y"
                            + " postgresql, or set "
                            + BIN_ENV
                            + ")"));
    try {
      boolean root = "root".equals(System.getProperty("user.name"));
      Path dir = Files.createTempDirectory("featurestore-postgres-");
      String password = "fs-" + UUID.randomUUID();
      Path passwordFile = dir.resolve("password");
      Files.writeString(passwordFile, password + "\n");
      if (root) {
        UserPrincipal postgres;
        try {
          postgres =
              dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        } catch (UserPrincipalNotFoundException e) {
          throw new IllegalStateException(
              "Cannot start a PostgreSQL for tests as root: PostgreSQL refuses to run as root and"
                  + " there is no 'postgres' user to run it as (apt-get install -y postgresql"
                  + " creates it), or set "
                  + ENV,
              e);
        }
        Files.setOwner(dir, postgres);
        Files.setOwner(passwordFile, postgres);
      }
      Path data = dir.resolve("data");
      run(
          root,
          dir,
          bin.resolve("initdb").toString(),
          "-D",
          data.toString(),
          "-U",
          "featurestore",
          "-A",
          "scram-sha-256",
          "--pwfile=" + passwordFile,
          "-E",
          "UTF8",
          "--locale=C",
          "--no-sync");
      int port = freePort();
      run(
          root,
          dir,
          bin.resolve("pg_ctl").toString(),
          "-D",
          data.toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          "-p "
              + port
              + " -k "
              + dir
              + " -c listen_addresses=127.0.0.1 -c fsync=off"
              + " -c synchronous_commit=off -c max_connections=200",
          "start");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      run(
                          root,
                          dir,
                          bin.resolve("pg_ctl").toString(),
                          "-D",
                          data.toString(),
                          "-m",
                          "immediate",
                          "stop");
                      deleteRecursively(dir);
                    } catch (RuntimeException e) {
                      // The JVM is exiting; the temporary folder is all that is left.
                    }
                  }));
      // initdb creates the database "postgres"; registries live in schemas of their own.
      return new PostgresFixture(
          "127.0.0.1", port, "postgres", "featurestore", password, "initdb " + bin);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(boolean asPostgres, Path dir, String... command) {
    List<String> line = new ArrayList<>();
    if (asPostgres) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(List.of(command));
    try {
      Path log = Files.createTempFile("featurestore-postgres-command-", ".log");
      Process process =
          new ProcessBuilder(line)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("Timed out: " + line);
      }
      String output = Files.readString(log);
      Files.deleteIfExists(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "Cannot start a PostgreSQL for tests: "
                + line
                + " exited "
                + process.exitValue()
                + ":\n"
                + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  /** A schema name no other test of this JVM uses, e.g. {@code t_3_1a2b3c}. */
  public static String uniqueSchema() {
    return "t_"
        + SCHEMAS.incrementAndGet()
        + "_"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  /**
   * A registry location with the password in the URI and its own schema: {@code
   * postgresql://user:password@host:port/db?schema=...}.
   */
  public String location(String schema) {
    return locationWithoutPassword(schema)
        .replace("//" + user + "@", "//" + user + ":" + password + "@");
  }

  /** A registry location naming the user but not the password (give it by password_env). */
  public String locationWithoutPassword(String schema) {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database + "?schema=" + schema;
  }

  /** The JDBC URL of the fixture's database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Where the server came from: environment, testcontainers or initdb. */
  public String kind() {
    return kind;
  }

  @Override
  public String toString() {
    return "PostgresFixture[" + kind + " " + host + ":" + port + "/" + database + "]";
  }
}
