/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import dev.featurestore.localredis.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The one source of a real Redis for tests, shared by every test of a JVM:
 *
 * <ol>
 *   <li>the address in {@code FEATURESTORE_TEST_REDIS} (e.g. {@code redis://127.0.0.1:6390}) if
 *       set;
 *   <li>else a Testcontainers {@code redis:7.2} container when a Docker engine is available;
 *   <li>else a real redis-server (the binary embedded-redis ships, as the quickstart uses) started
 *       on a free port.
 * </ol>
 *
 * <p>Tests that need to lose Redis mid-run use {@link #startPrivate()}: a server of their own that
 * they may stop and start. Tests of {@code cluster: true} use {@link #startCluster(Path)}: a
 * three-node Redis Cluster of their own.
 */
public final class RedisFixture {
  /** Environment variable with the URI of an externally provided Redis. */
  public static final String ENV = "FEATURESTORE_TEST_REDIS";

  /** Where {@link #systemBinary()} looks for the system's redis-server. */
  public static final String SYSTEM_BINARY = "/usr/bin/redis-server";

  private static RedisFixture shared;

  private final String uri;
  private final String kind;

  private RedisFixture(String uri, String kind) {
    this.uri = uri;
    this.kind = kind;
  }

  /** Returns the JVM-wide Redis, starting it on first use. */
  public static synchronized RedisFixture shared() {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  private static RedisFixture create() {
    String configured = System.getenv(ENV);
    if (configured != null && !configured.isBlank()) {
      return new RedisFixture(configured.trim(), "environment");
    }
    if (dockerAvailable()) {
      GenericContainer<?> container =
          new GenericContainer<>("redis:7.2-alpine").withExposedPorts(6379);
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new RedisFixture(
          "redis://" + container.getHost() + ":" + container.getMappedPort(6379), "testcontainers");
    }
    RedisServerProcess server = RedisServerProcess.startEphemeral();
    return new RedisFixture(server.uri(), "redis-server");
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Starts a private, non-persistent redis-server on a free port that the test may {@code stop()}
   * and {@code start()} again (on the same port) to simulate losing Redis. Close it when done.
   */
  public static RedisServerProcess startPrivate() {
    return RedisServerProcess.startEphemeral();
  }

  /**
   * Starts a private, non-persistent server of the given binary (e.g. {@link #systemBinary()}) with
   * more redis-server arguments (e.g. {@code --requirepass secret}), as {@link #startPrivate()}
   * does. Close it when done.
   */
  public static RedisServerProcess startPrivate(Path binary, List<String> extraArgs) {
    return RedisServerProcess.startEphemeral(binary, extraArgs);
  }

  /**
   * The system's redis-server ({@value #SYSTEM_BINARY}: on Debian 12 Redis 7.0, built with TLS,
   * unlike the embedded 6.2 binary), when it is installed.
   */
  public static Optional<Path> systemBinary() {
    Path system = Path.of(SYSTEM_BINARY);
    return Files.isExecutable(system) ? Optional.of(system) : Optional.empty();
  }

  /**
   * Starts a private three-node Redis Cluster (real redis-server processes on free ports, node
   * files under {@code dir}). Close it when done.
   */
  public static LocalRedisCluster startCluster(Path dir) {
    return new LocalRedisCluster(dir);
  }

  /** The Lettuce URI of the shared Redis. */
  public String uri() {
    return uri;
  }

  /** Where the Redis came from: environment, testcontainers or redis-server. */
  public String kind() {
    return kind;
  }

  @Override
  public String toString() {
    return "RedisFixture[" + kind + " " + uri + "]";
  }
}
