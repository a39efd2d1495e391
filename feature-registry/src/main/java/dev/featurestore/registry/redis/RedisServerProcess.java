/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.redis;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} run as a child process: the binary shipped in the embedded-redis jar
 * (Redis 6.2), or the one named by {@code FEATURESTORE_REDIS_SERVER}. Used by the test fixture and,
 * detached, by {@link EmbeddedRedis}.
 */
public final class RedisServerProcess implements AutoCloseable {
  /** Environment variable naming a redis-server binary to use instead of the shipped one. */
  public static final String SERVER_BINARY_ENV = "FEATURESTORE_REDIS_SERVER";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private RedisServerProcess(int port, List<String> extraArgs) {
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a non-persistent server on a free loopback port and waits until it answers PING. It is
   * stopped by {@link #close()} or when the JVM exits.
   */
  public static RedisServerProcess startEphemeral() {
    return startEphemeral(List.of());
  }

  /**
   * Starts a non-persistent server as {@link #startEphemeral()} does, with more redis-server
   * arguments after the defaults (e.g. {@code --cluster-enabled yes}).
   */
  public static RedisServerProcess startEphemeral(List<String> extraArgs) {
    List<String> args = new ArrayList<>(List.of("--save", "", "--appendonly", "no"));
    args.addAll(extraArgs);
    RedisServerProcess server = new RedisServerProcess(freePort(), args);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    return server;
  }

  /** The port the server listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** The Lettuce URI of the server. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts (or restarts) the server on its port and waits until it answers PING. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1"));
    command.addAll(extraArgs);
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new FeatureStoreException(
          ErrorCode.UNAVAILABLE, "Cannot start redis-server: " + e.getMessage(), e);
    }
    awaitPing(port, START_TIMEOUT);
  }

  /** Stops the server (kills the process); {@link #start()} brings it back on the same port. */
  public synchronized void stop() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Returns the redis-server binary: {@value #SERVER_BINARY_ENV}, else the one shipped. */
  public static Path binary() {
    String configured = System.getenv(SERVER_BINARY_ENV);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try {
      File file = ExecutableProvider.newJarResourceProvider().get();
      if (!file.canExecute() && !file.setExecutable(true)) {
        throw new IOException("cannot make " + file + " executable");
      }
      return file.toPath();
    } catch (IOException | RuntimeException e) {
      throw new FeatureStoreException(
          ErrorCode.UNAVAILABLE,
          "Cannot find a redis-server binary for this platform: "
              + e.getMessage()
              + "; set "
              + SERVER_BINARY_ENV
              + " to one, or configure online.redis in featurestore.yaml",
          e);
    }
  }

  /** Returns a currently free TCP port on the loopback interface. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new FeatureStoreException(
          ErrorCode.UNAVAILABLE, "Cannot find a free port: " + e.getMessage(), e);
    }
  }

  /** Returns whether a Redis answers PING on 127.0.0.1:port. */
  public static boolean ping(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  static void awaitPing(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ping(port)) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw FeatureStoreException.of(
        ErrorCode.UNAVAILABLE,
        "Cannot start redis-server: nothing answered on 127.0.0.1:%d within %s",
        port,
        timeout);
  }

  static void writeString(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(temp, text);
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
