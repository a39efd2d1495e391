/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployable exec jar as a user runs it: what it carries, and how it fails to start. */
class ExecJarIT {
  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  @Test
  void carriesNoRedisBinaryAndNoJedis() throws IOException {
    List<String> libraries = new ArrayList<>();
    try (ZipFile jar = new ZipFile(execJar().toFile())) {
      for (ZipEntry entry : Collections.list(jar.entries())) {
        if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
          libraries.add(entry.getName().substring("BOOT-INF/lib/".length()));
        }
      }
    }
    assertThat(libraries)
        .anyMatch(name -> name.startsWith("lettuce-core-"))
        .anyMatch(name -> name.startsWith("command-runner-"))
        .noneMatch(name -> name.startsWith("jedis-"))
        .noneMatch(name -> name.startsWith("embedded-redis-"))
        .noneMatch(name -> name.startsWith("local-redis-"));
  }

  @Test
  void serveFollowsTheOneCommandLinePolicy() throws Exception {
    Result version = run("serve", "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).matches("featurestore \\S+\n");

    Result usage = run("serve", "--port", "many");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err()).startsWith("Invalid value for option '--port': 'many' is not an int");

    Result wrongRepo = run("serve", "--repo", dir.resolve("missing").toString(), "--verbose");
    assertThat(wrongRepo.exitCode()).isEqualTo(1);
    assertThat(wrongRepo.err())
        .startsWith("Cannot open feature repo " + dir.resolve("missing"))
        .contains("\tat ");
  }

  @Test
  void anInvalidSettingIsNamedWithItsValueAndTheRule() throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir);

    Result serve =
        run(
            "serve",
            "--repo",
            repo.toString(),
            "--port",
            "0",
            "--featurestore.max-entities=0",
            "--featurestore.redis-uri=redis://127.0.0.1:1");

    assertThat(serve.exitCode()).isEqualTo(1);
    assertThat(serve.err())
        .isEqualTo(
            "Cannot start the online service: invalid featurestore.max-entities=0: must be"
                + " greater than or equal to 1\n");

    Result notANumber =
        run(
            "serve",
            "--repo",
            repo.toString(),
            "--port",
            "0",
            "--featurestore.max-entities=lots",
            "--featurestore.redis-uri=redis://127.0.0.1:1");

    assertThat(notANumber.exitCode()).isEqualTo(1);
    assertThat(notANumber.err())
        .isEqualTo(
            "Cannot start the online service: invalid featurestore.max-entities=lots: For input"
                + " string: \"lots\"\n");
  }

  @Test
  void aPortInUseIsNamedWithTheOptionToChooseAnother() throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();

      Result serve =
          run(
              "serve",
              "--repo",
              repo.toString(),
              "--port",
              String.valueOf(port),
              "--featurestore.redis-uri=redis://127.0.0.1:1");

      assertThat(serve.exitCode()).isEqualTo(1);
      assertThat(serve.err())
          .isEqualTo(
              "Cannot start the online service: port "
                  + port
                  + " is in use; stop what listens there, or choose another port with --port N\n");
      assertThat(serve.out()).isEmpty();
    }
  }

  @Test
  void aGrpcPortInUseIsNamedWithTheOptionToChooseAnother() throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir);
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();

      Result serve =
          run(
              "serve",
              "--repo",
              repo.toString(),
              "--port",
              "0",
              "--grpc-port",
              String.valueOf(port),
              "--featurestore.redis-uri=redis://127.0.0.1:1");

      assertThat(serve.exitCode()).isEqualTo(1);
      assertThat(serve.err())
          .isEqualTo(
              "Cannot start the online service: port "
                  + port
                  + " is in use; stop what listens there, or choose another port with"
                  + " --grpc-port M\n");
    }
  }

  @Test
  void takesMinusOneForNoGrpcServer() throws Exception {
    Result serve = run("serve", "--repo", dir.resolve("missing").toString(), "--grpc-port", "-1");

    assertThat(serve.exitCode()).isEqualTo(1);
    assertThat(serve.err()).startsWith("Cannot open feature repo " + dir.resolve("missing"));
  }

  @Test
  void carriesShadedGrpcAndOnlyItsOwnProtocolClasses() throws IOException {
    List<String> libraries = new ArrayList<>();
    try (ZipFile jar = new ZipFile(execJar().toFile())) {
      for (ZipEntry entry : Collections.list(jar.entries())) {
        if (entry.getName().startsWith("BOOT-INF/lib/")) {
          libraries.add(entry.getName().substring("BOOT-INF/lib/".length()));
        }
      }
    }
    assertThat(libraries)
        .anyMatch(name -> name.startsWith("grpc-netty-shaded-1.75."))
        .anyMatch(name -> name.startsWith("feast-protocol-"))
        .anyMatch(name -> name.startsWith("protobuf-java-3.25."))
        .noneMatch(name -> name.startsWith("feast-datatypes-"))
        .noneMatch(name -> name.startsWith("grpc-netty-1"));
  }

  @Test
  void withoutARedisItFailsAtStartSayingHowToConfigureOne() throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir);

    Result serve = run("serve", "--repo", repo.toString(), "--port", "0");

    assertThat(serve.exitCode()).isEqualTo(1);
    assertThat(serve.err())
        .isEqualTo(
            "Cannot start the online service: featurestore.yaml of project 'rides' names no"
                + " online.redis and featurestore.redis-uri is not set; add 'online: {redis:"
                + " redis://HOST:6379}' to featurestore.yaml, pass"
                + " --featurestore.redis-uri=redis://HOST:6379, or start it with"
                + " 'bin/featurestore serve', which starts the repo's embedded Redis\n");
    assertThat(serve.out())
        .doesNotContain("Exception", "ConditionEvaluationReport", "\tat ", "APPLICATION FAILED");
    assertThat(dir.resolve(".featurestore/redis")).doesNotExist();
  }

  private static Path execJar() throws IOException {
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(Path.of("target"), "online-*-exec.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new IllegalStateException("no online-*-exec.jar under target/: run the package phase");
  }

  private Result run(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                execJar().toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("serve did not exit within 120 s: " + Files.readString(out));
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
