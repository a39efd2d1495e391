/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.config.RedisConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads online values with Lettuce over a few long-lived, shared connections (round-robin).
 *
 * <p>One {@link #read} is one {@code MGET} of all keys of a request: a single command, hence a
 * single round trip, whatever the number of entities and views (in a Redis Cluster, Lettuce splits
 * it by slot and each node gets one command). An {@code MGET} costs Redis and Lettuce far less per
 * key than the same keys as pipelined {@code GET}s (see ../shared/STACK.md: ~0.9M keys/s against
 * 225-380k/s), which matters for large requests.
 *
 * <p>Failure behaviour: commands are rejected at once while a standalone connection is down (no
 * queueing; a cluster's node connections queue while they open), and time out after the configured
 * timeout; connections reconnect in the background (100 ms to 2 s backoff). A connection that could
 * not be opened at all is retried by a later request, at most once a second. Nothing here blocks a
 * caller's thread.
 */
public final class LettuceOnlineStoreReader implements OnlineStoreReader {
  private static final Logger log = LoggerFactory.getLogger(LettuceOnlineStoreReader.class);
  private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String description;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>> connector;
  private final Function<
          StatefulConnection<byte[], byte[]>, RedisClusterAsyncCommands<byte[], byte[]>>
      commands;
  private final Slot[] slots;
  private final AtomicInteger next = new AtomicInteger();

  /** Connects (asynchronously) to the Redis of a repo's settings. */
  public LettuceOnlineStoreReader(RedisConfig config, Duration timeout, int connections) {
    requireNonNull(config, "config is null");
    this.description = String.join(",", config.redactedUris());
    this.resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    SocketOptions socket =
        SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).keepAlive(true).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
    if (config.cluster()) {
      List<RedisURI> seeds = config.uris().stream().map(RedisURI::create).toList();
      RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
      // Node connections open lazily on first use, so commands must wait for them (bounded by the
      // request timeout) rather than be rejected while a node connection is still opening.
      cluster.setOptions(
          ClusterClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              .build());
      this.client = cluster;
      // connectAsync needs the topology loaded first (the blocking connect() loads it itself).
      this.connector =
          () ->
              cluster
                  .refreshPartitionsAsync()
                  .toCompletableFuture()
                  .thenCompose(loaded -> cluster.connectAsync(ByteArrayCodec.INSTANCE));
      this.commands = c -> ((StatefulRedisClusterConnection<byte[], byte[]>) c).async();
    } else {
      RedisURI uri = RedisURI.create(config.uris().get(0));
      RedisClient standalone = RedisClient.create(resources);
      standalone.setOptions(
          ClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              .build());
      this.client = standalone;
      this.connector =
          () -> standalone.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
      this.commands = c -> ((StatefulRedisConnection<byte[], byte[]>) c).async();
    }
    // A cluster connection already keeps one connection per node, and opening several at once
    // races on the cluster client's first topology load ("Partitions not initialized").
    int count = config.cluster() ? 1 : connections;
    this.slots = new Slot[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new Slot();
      slots[i].connect();
    }
  }

  @Override
  public CompletableFuture<List<byte[]>> read(List<byte[]> keys) {
    byte[][] array = keys.toArray(new byte[0][]);
    return connection()
        .thenCompose(c -> commands.apply(c).mget(array).toCompletableFuture())
        .thenApply(LettuceOnlineStoreReader::values);
  }

  @Override
  public CompletableFuture<String> ping() {
    return connection().thenCompose(c -> commands.apply(c).ping().toCompletableFuture());
  }

  @Override
  public String description() {
    return description;
  }

  private CompletableFuture<StatefulConnection<byte[], byte[]>> connection() {
    Slot slot = slots[Math.floorMod(next.getAndIncrement(), slots.length)];
    return slot.connection();
  }

  private static String causes(Throwable error) {
    StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      text.append(": ").append(cause.getMessage());
    }
    return text.toString();
  }

  private static List<byte[]> values(List<KeyValue<byte[], byte[]>> keyValues) {
    List<byte[]> values = new ArrayList<>(keyValues.size());
    for (KeyValue<byte[], byte[]> keyValue : keyValues) {
      values.add(keyValue.hasValue() ? keyValue.getValue() : null);
    }
    return values;
  }

  @Override
  public void close() {
    for (Slot slot : slots) {
      slot.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** One long-lived connection, opened again later if opening it failed. */
  private final class Slot {
    private volatile CompletableFuture<StatefulConnection<byte[], byte[]>> future;
    private volatile long attemptNanos;

    synchronized void connect() {
      attemptNanos = System.nanoTime();
      CompletableFuture<StatefulConnection<byte[], byte[]>> attempt = new CompletableFuture<>();
      connector
          .get()
          .whenComplete(
              (connection, error) -> {
                if (error != null) {
                  log.warn("Cannot connect to Redis at {}: {}", description, causes(error));
                  attempt.completeExceptionally(error);
                } else {
                  attempt.complete(connection);
                }
              });
      future = attempt;
    }

    CompletableFuture<StatefulConnection<byte[], byte[]>> connection() {
      CompletableFuture<StatefulConnection<byte[], byte[]>> current = future;
      if (current.isCompletedExceptionally()
          && System.nanoTime() - attemptNanos > RECONNECT_INTERVAL_NANOS) {
        synchronized (this) {
          if (future == current) {
            connect();
          }
          current = future;
        }
      }
      return current;
    }

    void close() {
      CompletableFuture<StatefulConnection<byte[], byte[]>> current = future;
      if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
        current.join().close();
      }
    }
  }
}
