/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.localredis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} run as a child process: the binary shipped in the embedded-redis jar
 * (Redis 6.2), the one named by {@code FEATURESTORE_REDIS_SERVER}, or one the caller names (e.g.
 * the system's, built with TLS). Used by the test fixture and, detached, by {@link EmbeddedRedis}.
 *
 * <p>The server is ready when it answers PING or, when PING cannot tell (a password, TLS only),
 * when its log says "Ready to accept connections"; a server that exits first fails the start with
 * the end of its log.
 */
public final class RedisServerProcess implements AutoCloseable {
  /** Environment variable naming a redis-server binary to use instead of the shipped one. */
  public static final String SERVER_BINARY_ENV = "FEATURESTORE_REDIS_SERVER";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final String READY_LINE = "Ready to accept connections";

  private static Path shipped;

  private final Path binary;
  private final int port;
  private final List<String> arguments;
  private Process process;
  private Path log;

  private RedisServerProcess(Path binary, int port, List<String> arguments) {
    this.binary = Objects.requireNonNull(binary, "binary is null");
    this.port = port;
    this.arguments = List.copyOf(arguments);
  }

  /**
   * Starts a non-persistent server of the {@linkplain #binary() default binary} on a free loopback
   * port and waits until it is ready. It is stopped by {@link #close()} or when the JVM exits.
   */
  public static RedisServerProcess startEphemeral() {
    return startEphemeral(List.of());
  }

  /**
   * Starts a non-persistent server as {@link #startEphemeral()} does, with more redis-server
   * arguments after the defaults (e.g. {@code --cluster-enabled yes}).
   */
  public static RedisServerProcess startEphemeral(List<String> extraArgs) {
    return startEphemeral(binary(), extraArgs);
  }

  /**
   * Starts a non-persistent server of the given binary on a free loopback port, with more
   * redis-server arguments after the defaults (e.g. {@code --requirepass secret}).
   */
  public static RedisServerProcess startEphemeral(Path binary, List<String> extraArgs) {
    int port = freePort();
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no"));
    arguments.addAll(extraArgs);
    return start(binary, port, arguments);
  }

  /**
   * Starts the given binary with exactly these arguments and waits until the server is ready on
   * {@code port}: for servers {@link #startEphemeral} cannot describe, such as a TLS-only one
   * ({@code --port 0 --tls-port PORT ...}). It is stopped by {@link #close()} or when the JVM
   * exits.
   *
   * @param binary the redis-server executable
   * @param port the port the arguments make it listen on (127.0.0.1)
   * @param arguments every redis-server argument
   */
  public static RedisServerProcess start(Path binary, int port, List<String> arguments) {
    RedisServerProcess server = new RedisServerProcess(binary, port, arguments);
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

  /** Starts (or restarts) the server on its port and waits until it is ready. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(arguments);
    try {
      if (log == null) {
        log = Files.createTempFile("redis-server-" + port + "-", ".log");
        log.toFile().deleteOnExit();
      }
      Files.writeString(log, "");
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new LocalRedisException("Cannot start " + binary + ": " + e.getMessage(), e);
    }
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new LocalRedisException(
            String.format(
                "Cannot start %s on port %d: it exited with code %d; its output: %s",
                binary, port, process.exitValue(), logText()),
            null);
      }
      if (ping(port) || logText().contains(READY_LINE)) {
        return;
      }
      if (!pause()) {
        break;
      }
    }
    String output = logText();
    stop(); // not left running behind the failure
    throw new LocalRedisException(
        String.format(
            "Cannot start %s: it was not ready on 127.0.0.1:%d within %s; its output: %s",
            binary, port, START_TIMEOUT, output),
        null);
  }

  private String logText() {
    try {
      // One line: the output's lines joined, its end only when it is long.
      String text = String.join(" / ", Files.readString(log).strip().lines().toList());
      return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
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
    return shippedBinary();
  }

  /** The binary in the embedded-redis jar, extracted once per JVM (it is 12 MB). */
  private static synchronized Path shippedBinary() {
    if (shipped != null) {
      return shipped;
    }
    try {
      File file = ExecutableProvider.newJarResourceProvider().get();
      if (!file.canExecute() && !file.setExecutable(true)) {
        throw new IOException("cannot make " + file + " executable");
      }
      shipped = file.toPath();
      return shipped;
    } catch (IOException | RuntimeException e) {
      throw new LocalRedisException(
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
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new LocalRedisException("Cannot find a free port: " + e.getMessage(), e);
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
      if (!pause()) {
        break;
      }
    }
    throw new LocalRedisException(
        String.format(
            "Cannot start redis-server: nothing answered on 127.0.0.1:%d within %s", port, timeout),
        null);
  }

  /** Waits a moment between readiness checks; false when interrupted (the flag is restored). */
  private static boolean pause() {
    try {
      Thread.sleep(20);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void writeString(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
