/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.registry.testing.TestDefinitions.driverStats;
import static dev.featurestore.registry.testing.TestDefinitions.driverStatsFeatures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Watermarks;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisLostIT {
  private static final int DRIVERS = 60_000;
  private static final Instant END1 = Instant.parse("2026-11-20T00:00:00Z");
  private static final Instant END2 = Instant.parse("2026-11-21T00:00:00Z");

  @TempDir Path dir;

  @Test
  void failsNamingTheAddressKeepsTheWatermarkAndARerunCompletes() throws Exception {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    List<Row> rows = new ArrayList<>();
    rows.add(driverRow(0L, "2026-11-19T12:00:00Z", null, 0.5, 5L));
    for (long id = 1; id <= DRIVERS; id++) {
      rows.add(driverRow(id, "2026-11-20T12:00:00Z", null, 1.0, id));
    }
    TestSupport.writeParquet(parquet, TestSupport.DRIVER_SCHEMA, rows);
    Definitions definitions = TestDefinitions.driverProject(project, parquet, view);
    Watermarks watermarks = FileRegistry.open(dir.resolve("registry")).watermarks();

    try (RedisServerProcess server = RedisFixture.startPrivate();
        RedisClient client = RedisClient.create()) {
      // One key per script call and per round trip: slow enough to lose Redis mid-run.
      MaterializerOptions slow =
          MaterializerOptions.fromMap(
              Map.of(
                  MaterializerOptions.SCRIPT_BATCH_SIZE, "1",
                  MaterializerOptions.FLUSH_EVERY, "1",
                  MaterializerOptions.MAX_IN_FLIGHT, "1"));
      Materializer materializer =
          new Materializer(
              TestSupport.spark(),
              definitions,
              RedisConfig.standalone(server.uri()),
              p -> p,
              slow,
              null);
      materializer.materializeIncremental(List.of(), END1, watermarks);
      assertThat(watermarks.read("driver_stats")).contains(END1);

      StatefulRedisConnection<byte[], byte[]> probe =
          client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(server.uri()));
      CompletableFuture<List<ViewSummary>> run =
          CompletableFuture.supplyAsync(
              () -> materializer.materializeIncremental(List.of(), END2, watermarks));
      await().atMost(Duration.ofSeconds(60)).until(() -> probe.sync().dbsize() > 1_000);
      server.stop();

      assertThatThrownBy(run::join)
          .cause()
          .isInstanceOf(FeatureStoreException.class)
          .hasMessageStartingWith(
              "Cannot materialize feature view 'driver_stats': Cannot write to Redis "
                  + server.uri()
                  + ": ")
          .hasMessageEndingWith("(is it running and reachable?)")
          .extracting(e -> ((FeatureStoreException) e).errorCode())
          .isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(watermarks.read("driver_stats")).contains(END1);

      server.start();
      Materializer fast =
          new Materializer(
              TestSupport.spark(),
              definitions,
              RedisConfig.standalone(server.uri()),
              p -> p,
              MaterializerOptions.defaults(),
              null);
      ViewSummary rerun = fast.materializeIncremental(List.of(), END2, watermarks).get(0);

      assertThat(rerun.start()).contains(END1);
      assertThat(rerun.keysWritten()).isEqualTo(DRIVERS);
      assertThat(watermarks.read("driver_stats")).contains(END2);
      StatefulRedisConnection<byte[], byte[]> after =
          client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(server.uri()));
      // The restarted server is empty: the re-run wrote the whole window again.
      assertThat(after.sync().dbsize()).isEqualTo(DRIVERS);
      OnlineValueCodec codec = new OnlineValueCodec(project, view);
      byte[] value = after.sync().get(TestSupport.key(project, view, DRIVERS));
      assertThat(codec.decode(value, fp -> Optional.empty()).values())
          .containsExactly(1.0, (long) DRIVERS);
    }
  }

  @Test
  void failsBeforeReadingWhenRedisIsUnreachableWithoutShowingThePassword() {
    int port = RedisServerProcess.freePort();
    FeatureView view = driverStats(Duration.ZERO, driverStatsFeatures());
    Materializer materializer =
        new Materializer(
            TestSupport.spark(),
            TestDefinitions.driverProject(TestDefinitions.uniqueProject(), dir, view),
            RedisConfig.standalone("redis://reader:s3cret@127.0.0.1:" + port),
            p -> p,
            MaterializerOptions.defaults(),
            null);

    assertThatThrownBy(() -> materializer.materialize(List.of(), END1, END2))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot write to Redis redis://reader:***@127.0.0.1:" + port + ": ")
        .hasMessageContaining("Connection refused")
        .hasMessageNotContaining("s3cret");
  }
}
