/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.registry.testing.TestDefinitions.driverStats;
import static dev.featurestore.registry.testing.TestDefinitions.driverStatsFeatures;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.LocalRedisCluster;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterIT {
  @TempDir Path dir;

  @Test
  void writesThroughTheClusterClientWithOneSlotPerScriptCall() throws Exception {
    String project = TestDefinitions.uniqueProject();
    FeatureView view = driverStats(Duration.ofDays(3650), driverStatsFeatures());
    Path parquet = dir.resolve("drivers");
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 2_000; id++) {
      rows.add(driverRow(id, "2026-11-20T10:00:00Z", null, 1.0, id));
      rows.add(driverRow(id, "2026-11-20T09:00:00Z", null, 0.0, -id));
    }
    TestSupport.writeParquet(parquet, TestSupport.DRIVER_SCHEMA, rows);
    try (LocalRedisCluster cluster = RedisFixture.startCluster(dir.resolve("cluster"))) {
      Materializer materializer =
          new Materializer(
              TestSupport.spark(),
              TestDefinitions.driverProject(project, parquet, view),
              new RedisConfig(cluster.seedUris(), true),
              p -> p,
              MaterializerOptions.defaults(),
              null);
      Instant start = Instant.parse("2026-11-20T00:00:00Z");
      Instant end = Instant.parse("2026-11-21T00:00:00Z");

      ViewSummary first = materializer.materialize(List.of(), start, end).get(0);
      ViewSummary again = materializer.materialize(List.of(), start, end).get(0);

      assertThat(first.rowsRead()).isEqualTo(4_000);
      assertThat(first.keysWritten()).isEqualTo(2_000);
      assertThat(again.keysWritten()).isEqualTo(2_000);
      RedisClusterClient client =
          RedisClusterClient.create(cluster.seedUris().stream().map(RedisURI::create).toList());
      try {
        RedisAdvancedClusterCommands<byte[], byte[]> redis =
            client.connect(ByteArrayCodec.INSTANCE).sync();
        assertThat(redis.dbsize()).isEqualTo(2_000);
        OnlineValueCodec codec = new OnlineValueCodec(project, view);
        for (long id = 0; id < 2_000; id += 97) {
          byte[] value = redis.get(TestSupport.key(project, view, id));
          assertThat(codec.decode(value, fp -> Optional.empty()).values()).containsExactly(1.0, id);
          assertThat(redis.pttl(TestSupport.key(project, view, id))).isPositive();
        }
      } finally {
        client.shutdown();
      }
    }
  }
}
