/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.localredis;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded online store of a feature repo that configures no Redis: one real redis-server per
 * repo, started detached and shared by every later command (materialize, serve), its data kept
 * under {@code <repo>/.featurestore/redis/} (append-only file), so {@code materialize} then {@code
 * serve} works with no set-up. Only the command layer starts it ({@code featurestore redis start},
 * and the {@code materialize} and {@code serve} commands before they run), never a service or a
 * library on its own; {@code featurestore redis stop} (or {@link #stop}) ends it.
 */
public final class EmbeddedRedis {
  private static final String PORT_FILE = "redis.port";
  private static final String PID_FILE = "redis.pid";

  private EmbeddedRedis() {}

  /** The folder holding the embedded Redis state of a repo. */
  public static Path directory(Path stateDirectory) {
    return stateDirectory.resolve("redis");
  }

  /**
   * Returns the URI of the repo's embedded Redis, starting it (detached) when it is not running.
   *
   * @param stateDirectory the repo's {@code .featurestore} folder
   */
  public static String ensureRunning(Path stateDirectory) {
    Path dir = directory(stateDirectory).toAbsolutePath();
    try {
      Files.createDirectories(dir);
      try (FileChannel channel =
              FileChannel.open(
                  dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        Optional<Integer> running = runningPort(dir);
        if (running.isPresent()) {
          return uri(running.get());
        }
        int port = RedisServerProcess.freePort();
        List<String> command =
            List.of(
                RedisServerProcess.binary().toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--daemonize",
                "yes",
                "--pidfile",
                dir.resolve(PID_FILE).toString(),
                "--logfile",
                dir.resolve("redis.log").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.waitFor();
        RedisServerProcess.awaitPing(port, Duration.ofSeconds(20));
        RedisServerProcess.writeString(dir.resolve(PORT_FILE), String.valueOf(port));
        return uri(port);
      }
    } catch (IOException e) {
      throw new LocalRedisException(
          "Cannot start the embedded Redis in " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRedisException("Cannot start the embedded Redis: interrupted", e);
    }
  }

  /** Returns the URI of the repo's embedded Redis when it is running. */
  public static Optional<String> running(Path stateDirectory) {
    return runningPort(directory(stateDirectory).toAbsolutePath()).map(EmbeddedRedis::uri);
  }

  /**
   * Stops the repo's embedded Redis (its data stays on disk for the next start).
   *
   * @return whether a running server was stopped
   */
  public static boolean stop(Path stateDirectory) {
    Path dir = directory(stateDirectory).toAbsolutePath();
    Optional<Integer> port = runningPort(dir);
    if (port.isEmpty()) {
      return false;
    }
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve(PID_FILE)).trim());
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (RedisServerProcess.ping(port.get()) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Files.deleteIfExists(dir.resolve(PORT_FILE));
      return true;
    } catch (IOException | NumberFormatException e) {
      throw new LocalRedisException("Cannot stop the embedded Redis in " + dir + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Optional<Integer> runningPort(Path dir) {
    Path portFile = dir.resolve(PORT_FILE);
    try {
      if (!Files.exists(portFile)) {
        return Optional.empty();
      }
      int port = Integer.parseInt(Files.readString(portFile).trim());
      return RedisServerProcess.ping(port) ? Optional.of(port) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String uri(int port) {
    return "redis://127.0.0.1:" + port;
  }
}
