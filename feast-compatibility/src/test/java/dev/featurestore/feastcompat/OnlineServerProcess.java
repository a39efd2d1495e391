/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.feastcompat;

import static org.awaitility.Awaitility.await;

import dev.feast.FeastClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The online service's exec jar run as a user runs it ({@code java -jar online-*-exec.jar serve
 * --repo DIR --grpc-port M}), in a JVM of its own: its gRPC 1.75 and protobuf 3.25 never meet the
 * Feast client's gRPC 1.30 and protobuf 3.16 of this JVM.
 */
final class OnlineServerProcess implements AutoCloseable {
  /** The property (set by the build) holding the exec jar's path. */
  static final String EXEC_JAR = "online.exec.jar";

  private final Process process;
  private final Path log;
  private final int grpcPort;

  private OnlineServerProcess(Process process, Path log, int grpcPort) {
    this.process = process;
    this.log = log;
    this.grpcPort = grpcPort;
  }

  /** Starts {@code serve} for a repo and waits until its gRPC endpoint answers. */
  static OnlineServerProcess start(Path repo, Path log, String... settings) {
    String jar = System.getProperty(EXEC_JAR);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "Cannot find the online exec jar: " + EXEC_JAR + " is '" + jar + "'; run through Maven");
    }
    int grpcPort = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar,
                "serve",
                "--repo",
                repo.toString(),
                "--port",
                "0",
                "--grpc-port",
                String.valueOf(grpcPort)));
    command.addAll(List.of(settings));
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    OnlineServerProcess server = new OnlineServerProcess(process, log, grpcPort);
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("serve exited: " + Files.readString(log));
                }
                try (FeastClient client = FeastClient.create("127.0.0.1", grpcPort)) {
                  return !client.getFeastServingInfo().getVersion().isEmpty();
                } catch (StatusRuntimeException e) {
                  // Up, and asking for the API key it was configured with.
                  return e.getStatus().getCode() == Status.Code.UNAUTHENTICATED;
                }
              });
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException("serve did not start: " + server.output(), e);
    }
    return server;
  }

  int grpcPort() {
    return grpcPort;
  }

  /** What the server printed so far. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Stops the server as an operator does (SIGTERM, then Spring's graceful shutdown). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
