/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.registry.testing.TestDefinitions.driverStats;
import static dev.featurestore.registry.testing.TestDefinitions.driverStatsFeatures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passwords and ACL users in the Redis URI, through Lettuce's own URI handling. */
class AuthIT {
  private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
  private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");

  @TempDir Path dir;
  private RedisServerProcess server;
  private int port;

  @BeforeEach
  void startServerWithAclUser() {
    // PING answers NOAUTH here: RedisServerProcess waits for the server's "ready" log line.
    server =
        RedisFixture.startPrivate(
            RedisServerProcess.binary(),
            List.of(
                "--requirepass",
                "default-secret",
                // redis-server joins the words after a directive into one config line.
                "--user",
                "materializer",
                "on",
                ">app-secret",
                "~*",
                "&*",
                "+@all"));
    port = server.port();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Materializer materializer(String uri) {
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(driverRow(1L, "2026-11-20T10:00:00Z", null, 0.1, 1L)));
    Definitions definitions =
        TestDefinitions.driverProject(TestDefinitions.uniqueProject(), parquet, view);
    return new Materializer(
        TestSupport.spark(),
        definitions,
        RedisConfig.standalone(uri),
        p -> p,
        MaterializerOptions.defaults(),
        null);
  }

  @Test
  void writesWithAPasswordOrAnAclUser() {
    assertThat(
            materializer("redis://default-secret@127.0.0.1:" + port)
                .materialize(List.of(), START, END)
                .get(0)
                .keysWritten())
        .isEqualTo(1);
    assertThat(
            materializer("redis://materializer:app-secret@127.0.0.1:" + port)
                .materialize(List.of(), START, END)
                .get(0)
                .keysWritten())
        .isEqualTo(1);
  }

  @Test
  void aWrongPasswordFailsWithoutShowingIt() {
    Materializer wrong = materializer("redis://materializer:not-the-secret@127.0.0.1:" + port);

    assertThatThrownBy(() -> wrong.materialize(List.of(), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot write to Redis redis://materializer:***@127.0.0.1:" + port + ": ")
        .hasMessageContaining(
            ": authentication failed (WRONGPASS invalid username-password pair or user is"
                + " disabled.); check the password in online.redis of featurestore.yaml"
                + " (redis://USER:PASSWORD@HOST:PORT, or redis://:PASSWORD@HOST:PORT for the"
                + " default user)")
        .hasMessageNotContaining("is it running and reachable")
        .hasMessageNotContaining("not-the-secret")
        .satisfies(
            e ->
                assertThat(((FeatureStoreException) e).errorCode())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void noPasswordForAServerThatRequiresOneSaysSo() {
    Materializer none = materializer("redis://127.0.0.1:" + port);

    assertThatThrownBy(() -> none.materialize(List.of(), START, END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot write to Redis redis://127.0.0.1:" + port + ": ")
        .hasMessageContaining(": authentication failed (NOAUTH ")
        .hasMessageEndingWith(
            "; check the password in online.redis of featurestore.yaml"
                + " (redis://USER:PASSWORD@HOST:PORT, or redis://:PASSWORD@HOST:PORT for the"
                + " default user)");
  }
}
