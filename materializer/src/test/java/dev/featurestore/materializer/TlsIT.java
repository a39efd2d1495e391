/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.registry.testing.TestDefinitions.driverStats;
import static dev.featurestore.registry.testing.TestDefinitions.driverStatsFeatures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} through Lettuce's own URI handling, against a TLS-only redis-server. Needs the
 * system redis-server (built with TLS; the embedded 6.2 binary is not) and openssl; skipped without
 * them.
 */
class TlsIT {
  private static final Path SYSTEM_REDIS = Path.of(RedisFixture.SYSTEM_BINARY);
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir Path dir;

  @Test
  void writesOverTls() throws Exception {
    assumeTrue(Files.isExecutable(SYSTEM_REDIS) && Files.isExecutable(OPENSSL));
    Process openssl =
        new ProcessBuilder(
                OPENSSL.toString(),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                dir.resolve("key.pem").toString(),
                "-out",
                dir.resolve("cert.pem").toString(),
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(openssl.waitFor()).isZero();
    int port = RedisServerProcess.freePort();
    // TLS only: PING cannot tell it is up, RedisServerProcess waits for its "ready" log line.
    try (RedisServerProcess server =
        RedisServerProcess.start(
            SYSTEM_REDIS,
            port,
            List.of(
                "--port",
                "0",
                "--tls-port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--tls-cert-file",
                dir.resolve("cert.pem").toString(),
                "--tls-key-file",
                dir.resolve("key.pem").toString(),
                "--tls-auth-clients",
                "no",
                "--save",
                "",
                "--appendonly",
                "no"))) {
      FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
      Path parquet = dir.resolve("drivers");
      TestSupport.writeParquet(
          parquet,
          TestSupport.DRIVER_SCHEMA,
          List.of(driverRow(1L, "2026-11-20T10:00:00Z", null, 0.1, 1L)));
      Materializer materializer =
          new Materializer(
              TestSupport.spark(),
              TestDefinitions.driverProject(TestDefinitions.uniqueProject(), parquet, view),
              // A self-signed test certificate: no peer verification.
              RedisConfig.standalone("rediss://127.0.0.1:" + port + "?verifyPeer=NONE"),
              p -> p,
              MaterializerOptions.defaults(),
              null);

      ViewSummary summary =
          materializer
              .materialize(
                  List.of(),
                  Instant.parse("2026-11-20T00:00:00Z"),
                  Instant.parse("2026-11-21T00:00:00Z"))
              .get(0);

      assertThat(summary.keysWritten()).isEqualTo(1);
    }
  }
}
