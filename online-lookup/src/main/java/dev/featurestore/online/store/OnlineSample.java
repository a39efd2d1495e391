/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Samples entity keys present in the online store, for {@code verify} (and {@code drift --against
 * online}).
 *
 * <p>How it samples: a full {@code SCAN} of the keyspace ({@code MATCH *<view tag>}, so Redis
 * filters the keys of the views asked for; {@code COUNT 1000}; in a Redis Cluster, of every master
 * node), keeping the {@code limit} entity keys of smallest seeded 64-bit hash (a bottom-k sample).
 * Every entity present is equally likely to be picked, and the sample depends only on the seed and
 * the set of keys present, not on the order SCAN returns them in: the same data and seed give the
 * same sample. An entity present in several of the views counts once. The scan reads every key name
 * once (about a second per million keys), never a value.
 */
public final class OnlineSample {
  /** The seed {@code verify} uses unless told otherwise. */
  public static final long DEFAULT_SEED = 16;

  private static final int SCAN_COUNT = 1_000;

  private OnlineSample() {}

  /**
   * Returns up to {@code limit} entities present online in any of {@code views} (which share the
   * join keys {@code joinKeys}), as join key values in {@code joinKeys} order ({@link
   * OnlineKeys#decodeEntityKey}), in sample order.
   *
   * @throws FeatureStoreException UNAVAILABLE when Redis cannot be scanned; INVALID_DATA when a key
   *     of a view does not decode as an entity key of its join keys
   */
  public static List<List<Object>> entities(
      RedisConfig redis,
      String project,
      List<String> views,
      List<JoinKey> joinKeys,
      int limit,
      long seed) {
    requireNonNull(redis, "redis is null");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    List<byte[]> tags = views.stream().map(v -> OnlineKeys.viewTag(project, v)).toList();
    BottomK sample = new BottomK(limit, seed);
    if (limit > 0 && !tags.isEmpty()) {
      try {
        scan(redis, tags, sample);
      } catch (RedisException e) {
        throw new FeatureStoreException(
            ErrorCode.UNAVAILABLE,
            "Cannot sample the online store at "
                + String.join(",", redis.redactedUris())
                + ": "
                + e.getMessage()
                + "; check that Redis is running and reachable",
            e);
      }
    }
    List<List<Object>> entities = new ArrayList<>();
    for (byte[] entityKey : sample.sorted()) {
      entities.add(OnlineKeys.decodeEntityKey(joinKeys, entityKey));
    }
    return entities;
  }

  private static void scan(RedisConfig redis, List<byte[]> tags, BottomK sample) {
    if (redis.cluster()) {
      RedisClusterClient client =
          RedisClusterClient.create(redis.uris().stream().map(RedisURI::create).toList());
      try (StatefulRedisClusterConnection<byte[], byte[]> connection =
          client.connect(ByteArrayCodec.INSTANCE)) {
        connection.setTimeout(Duration.ofSeconds(10));
        for (RedisClusterNode node : connection.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
            scanNode(connection.getConnection(node.getNodeId()).sync(), tags, sample);
          }
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    } else {
      RedisClient client = RedisClient.create();
      try (StatefulRedisConnection<byte[], byte[]> connection =
          client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(redis.uris().get(0)))) {
        connection.setTimeout(Duration.ofSeconds(10));
        scanNode(connection.sync(), tags, sample);
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  private static void scanNode(
      RedisKeyCommands<byte[], byte[]> commands, List<byte[]> tags, BottomK sample) {
    for (byte[] tag : tags) {
      ScanArgs args = ScanArgs.Builder.matches(matchPattern(tag)).limit(SCAN_COUNT);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<byte[]> page = commands.scan(cursor, args);
        for (byte[] key : page.getKeys()) {
          byte[] entityKey = OnlineKeys.entityKeyOf(key, tag);
          if (entityKey != null) {
            sample.offer(entityKey);
          }
        }
        cursor = page;
      } while (!cursor.isFinished());
    }
  }

  /** {@code *} and the view tag, its glob characters escaped: every key ending with the tag. */
  static byte[] matchPattern(byte[] tag) {
    ByteArrayOutputStream pattern = new ByteArrayOutputStream(1 + 2 * tag.length);
    pattern.write('*');
    for (byte b : tag) {
      if (b == '*' || b == '?' || b == '[' || b == ']' || b == '\\') {
        pattern.write('\\');
      }
      pattern.write(b);
    }
    return pattern.toByteArray();
  }

  /** A seeded 64-bit hash of an entity key (FNV-1a, then MurmurHash3's finalizer). */
  static long rank(byte[] entityKey, long seed) {
    long hash = 0xcbf29ce484222325L ^ seed * 0x9E3779B97F4A7C15L;
    for (byte b : entityKey) {
      hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash;
  }

  /** The k entity keys of smallest rank seen (ties by the key bytes), each once. */
  private static final class BottomK {
    private record Ranked(long rank, byte[] key) {}

    private static final Comparator<Ranked> ORDER =
        Comparator.comparingLong(Ranked::rank).thenComparing(Ranked::key, Arrays::compareUnsigned);

    private final int k;
    private final long seed;
    private final PriorityQueue<Ranked> largestFirst = new PriorityQueue<>(ORDER.reversed());
    private final Set<ByteBuffer> kept = new HashSet<>();

    BottomK(int k, long seed) {
      this.k = k;
      this.seed = seed;
    }

    void offer(byte[] key) {
      Ranked ranked = new Ranked(rank(key, seed), key);
      if (kept.contains(ByteBuffer.wrap(key))) {
        return;
      }
      if (largestFirst.size() < k) {
        largestFirst.add(ranked);
        kept.add(ByteBuffer.wrap(key));
      } else if (ORDER.compare(ranked, largestFirst.peek()) < 0) {
        kept.remove(ByteBuffer.wrap(largestFirst.poll().key()));
        largestFirst.add(ranked);
        kept.add(ByteBuffer.wrap(key));
      }
    }

    List<byte[]> sorted() {
      return largestFirst.stream().sorted(ORDER).map(Ranked::key).toList();
    }
  }
}
