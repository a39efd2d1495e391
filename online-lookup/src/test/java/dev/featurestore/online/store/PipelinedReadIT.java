/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Values (MGET) and tile hashes (HGETALL) of one request, read from a real Redis. */
class PipelinedReadIT {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsValuesAndHashesWithOneMgetAndOneHgetallPerHash() {
    String prefix = UUID.randomUUID().toString();
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<byte[], byte[]> redis =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()));
        LettuceOnlineStoreReader reader =
            new LettuceOnlineStoreReader(
                RedisConfig.standalone(RedisFixture.shared().uri()), Duration.ofSeconds(5), 1)) {
      redis.sync().set(bytes(prefix + ":plain"), bytes("v"));
      redis
          .sync()
          .hset(bytes(prefix + ":tiles"), Map.of(bytes("7"), bytes("a"), bytes("8"), bytes("b")));
      redis.sync().configResetstat();

      OnlineRead read =
          reader
              .read(
                  List.of(bytes(prefix + ":plain"), bytes(prefix + ":none")),
                  List.of(bytes(prefix + ":tiles"), bytes(prefix + ":no-tiles")))
              .join();

      assertThat(read.values()).hasSize(2);
      assertThat(read.values().get(0)).isEqualTo(bytes("v"));
      assertThat(read.values().get(1)).isNull();
      assertThat(read.hashes()).hasSize(2);
      List<String> fields = new ArrayList<>();
      read.hashes()
          .get(0)
          .forEach(
              (field, value) ->
                  fields.add(
                      new String(field, StandardCharsets.UTF_8)
                          + "="
                          + new String(value, StandardCharsets.UTF_8)));
      assertThat(fields).containsExactlyInAnyOrder("7=a", "8=b");
      assertThat(read.hashes().get(1)).isEmpty();
      String stats = redis.sync().info("commandstats");
      assertThat(calls(stats, "mget")).isEqualTo(1);
      assertThat(calls(stats, "hgetall")).isEqualTo(2);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void readsOnlyHashesWithoutAnMget() {
    String prefix = UUID.randomUUID().toString();
    try (LettuceOnlineStoreReader reader =
        new LettuceOnlineStoreReader(
            RedisConfig.standalone(RedisFixture.shared().uri()), Duration.ofSeconds(5), 1)) {
      OnlineRead read = reader.read(List.of(), List.of(bytes(prefix + ":no-tiles"))).join();

      assertThat(read.values()).isEmpty();
      assertThat(read.hashes()).hasSize(1);
      assertThat(read.hashes().get(0)).isEmpty();
    }
  }

  private static long calls(String stats, String command) {
    for (String line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":calls=")) {
        String rest = line.substring(("cmdstat_" + command + ":calls=").length());
        return Long.parseLong(rest.substring(0, rest.indexOf(',')));
      }
    }
    return 0;
  }
}
