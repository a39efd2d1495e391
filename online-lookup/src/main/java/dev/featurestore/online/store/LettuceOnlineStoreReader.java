/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.FeatureStoreException;
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
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
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
 * caller's thread. Failures complete a read or ping with an UNAVAILABLE {@link
 * FeatureStoreException} that says what to do ({@link RedisFailures}).
 *
 * <p>Threads: given event loops (the HTTP server's), each gets its own connections and a read made
 * on one of those loops uses them, so Redis's answer arrives on the thread that read the request.
 * Otherwise (and for a cluster) Lettuce's own I/O threads run the connections, and answers complete
 * there.
 */
public final class LettuceOnlineStoreReader implements OnlineStoreReader {
  private static final Logger log = LoggerFactory.getLogger(LettuceOnlineStoreReader.class);
  private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String description;
  private final ClientResources resources;
  private final Duration timeout;
  private final List<AbstractRedisClient> clients;
  private final List<ClientResources> loopResources;
  private final Function<
          StatefulConnection<byte[], byte[]>, RedisClusterAsyncCommands<byte[], byte[]>>
      commands;
  private final Slot[] slots;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final BiFunction<List<KeyValue<byte[], byte[]>>, Throwable, List<byte[]>>
      valuesOrFailure = this::values;

  /** Connects (asynchronously) to the Redis of a repo's settings, on Lettuce's own I/O threads. */
  public LettuceOnlineStoreReader(RedisConfig config, Duration timeout, int connections) {
    this(config, timeout, connections, List.of());
  }

  /**
   * Connects (asynchronously) to the Redis of a repo's settings.
   *
   * @param eventLoops for a standalone Redis, event loops to run the connections on instead of
   *     Lettuce's own I/O threads (the HTTP server's: see the class comment); each gets {@code
   *     connections / eventLoops.size()} connections, at least one. Ignored for a cluster.
   */
  public LettuceOnlineStoreReader(
      RedisConfig config, Duration timeout, int connections, List<? extends EventLoop> eventLoops) {
    requireNonNull(config, "config is null");
    this.description = String.join(",", config.redactedUris());
    this.timeout = requireNonNull(timeout, "timeout is null");
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
      this.clients = List.of(cluster);
      this.loopResources = List.of();
      // connectAsync needs the topology loaded first (the blocking connect() loads it itself).
      Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>> connector =
          () ->
              cluster
                  .refreshPartitionsAsync()
                  .toCompletableFuture()
                  .thenCompose(loaded -> cluster.connectAsync(ByteArrayCodec.INSTANCE));
      this.commands = c -> ((StatefulRedisClusterConnection<byte[], byte[]>) c).async();
      // A cluster connection already keeps one connection per node, and opening several at once
      // races on the cluster client's first topology load ("Partitions not initialized").
      this.slots = new Slot[] {new Slot(connector, null)};
    } else {
      RedisURI uri = RedisURI.create(config.uris().get(0));
      ClientOptions options =
          ClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .socketOptions(socket)
              .timeoutOptions(timeouts)
              .build();
      this.commands = c -> ((StatefulRedisConnection<byte[], byte[]>) c).async();
      List<Slot> opened = new ArrayList<>();
      List<AbstractRedisClient> created = new ArrayList<>();
      List<ClientResources> loopResources = new ArrayList<>();
      if (eventLoops.isEmpty()) {
        RedisClient standalone = RedisClient.create(resources);
        standalone.setOptions(options);
        created.add(standalone);
        for (int i = 0; i < connections; i++) {
          opened.add(new Slot(connector(standalone, uri), null));
        }
      } else {
        int perLoop = Math.max(1, (connections + eventLoops.size() - 1) / eventLoops.size());
        for (EventLoop loop : eventLoops) {
          // A client whose every connection lives on this one event loop.
          ClientResources onLoop =
              resources.mutate().eventLoopGroupProvider(new SingleLoopProvider(loop)).build();
          loopResources.add(onLoop);
          RedisClient standalone = RedisClient.create(onLoop);
          standalone.setOptions(options);
          created.add(standalone);
          for (int i = 0; i < perLoop; i++) {
            opened.add(new Slot(connector(standalone, uri), loop));
          }
        }
      }
      this.clients = List.copyOf(created);
      this.loopResources = List.copyOf(loopResources);
      this.slots = opened.toArray(new Slot[0]);
    }
    for (Slot slot : slots) {
      slot.connect();
    }
  }

  private static Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>>
      connector(RedisClient client, RedisURI uri) {
    return () -> client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
  }

  @Override
  public CompletableFuture<List<byte[]>> read(List<byte[]> keys) {
    byte[][] array = keys.toArray(new byte[0][]);
    CompletableFuture<StatefulConnection<byte[], byte[]>> connection = connection();
    // getNow would throw a connection failure here rather than complete the future with it.
    StatefulConnection<byte[], byte[]> open =
        connection.isCompletedExceptionally() ? null : connection.getNow(null);
    if (open != null) {
      // Lettuce's command timeout bounds the wait (one timer for both would cost a thread hop).
      return commands.apply(open).mget(array).toCompletableFuture().handle(valuesOrFailure);
    }
    return connection
        .thenCompose(c -> commands.apply(c).mget(array).toCompletableFuture())
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(valuesOrFailure);
  }

  @Override
  public CompletableFuture<OnlineRead> read(List<byte[]> keys, List<byte[]> hashKeys) {
    if (hashKeys.isEmpty()) {
      return read(keys).thenApply(values -> new OnlineRead(values, List.of()));
    }
    CompletableFuture<StatefulConnection<byte[], byte[]>> connection = connection();
    StatefulConnection<byte[], byte[]> open =
        connection.isCompletedExceptionally() ? null : connection.getNow(null);
    if (open != null) {
      return pipeline(open, keys, hashKeys);
    }
    return connection
        .thenCompose(c -> pipeline(c, keys, hashKeys))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (read, error) -> {
              if (error != null) {
                throw failure("get online features", error);
              }
              return read;
            });
  }

  /**
   * Sends the MGET and every HGETALL on one connection without awaiting any answer (Lettuce
   * pipelines the commands of a connection), so the whole read is one round trip; in a cluster,
   * each HGETALL goes to its key's node and the MGET is split by slot.
   */
  @SuppressWarnings("unchecked")
  private CompletableFuture<OnlineRead> pipeline(
      StatefulConnection<byte[], byte[]> connection, List<byte[]> keys, List<byte[]> hashKeys) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = commands.apply(connection);
    CompletableFuture<?>[] all = new CompletableFuture<?>[hashKeys.size() + 1];
    CompletableFuture<List<KeyValue<byte[], byte[]>>> values =
        keys.isEmpty()
            ? CompletableFuture.completedFuture(List.of())
            : redis.mget(keys.toArray(new byte[0][])).toCompletableFuture();
    all[0] = values;
    for (int i = 0; i < hashKeys.size(); i++) {
      all[i + 1] = redis.hgetall(hashKeys.get(i)).toCompletableFuture();
    }
    return CompletableFuture.allOf(all)
        .handle(
            (ignored, error) -> {
              if (error != null) {
                throw failure("get online features", error);
              }
              List<Map<byte[], byte[]>> hashes = new ArrayList<>(hashKeys.size());
              for (int i = 0; i < hashKeys.size(); i++) {
                hashes.add(((CompletableFuture<Map<byte[], byte[]>>) all[i + 1]).join());
              }
              return new OnlineRead(values(values.join(), null), hashes);
            });
  }

  @Override
  public CompletableFuture<String> ping() {
    return connection()
        .thenCompose(c -> commands.apply(c).ping().toCompletableFuture())
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (reply, error) -> {
              if (error != null) {
                throw failure("check Redis", error);
              }
              return reply;
            });
  }

  @Override
  public String description() {
    return description;
  }

  /**
   * A connection on the calling thread's event loop when there is one (no thread hop on the way to
   * Redis or back), else the next connection round-robin.
   */
  private CompletableFuture<StatefulConnection<byte[], byte[]>> connection() {
    int start = Math.floorMod(next.getAndIncrement(), slots.length);
    if (slots[0].loop != null) {
      for (int i = 0; i < slots.length; i++) {
        Slot slot = slots[(start + i) % slots.length];
        if (slot.loop.inEventLoop()) {
          return slot.connection();
        }
      }
    }
    return slots[start].connection();
  }

  /** The values of an MGET answer, or its failure as {@link #failure}. */
  private List<byte[]> values(List<KeyValue<byte[], byte[]>> keyValues, Throwable error) {
    if (error != null) {
      throw failure("get online features", error);
    }
    List<byte[]> values = new ArrayList<>(keyValues.size());
    for (KeyValue<byte[], byte[]> keyValue : keyValues) {
      values.add(keyValue.hasValue() ? keyValue.getValue() : null);
    }
    return values;
  }

  /** A failure talking to Redis, as {@link RedisFailures#unavailable}. */
  private FeatureStoreException failure(String action, Throwable error) {
    return RedisFailures.unavailable(action, description, timeout, error);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Slot slot : slots) {
      slot.close();
    }
    for (AbstractRedisClient client : clients) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    for (ClientResources onLoop : loopResources) {
      onLoop.shutdown(0, 2, TimeUnit.SECONDS);
    }
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** One long-lived connection, opened again later if opening it failed. */
  private final class Slot {
    private final Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>>
        connector;
    private final EventLoop loop;
    private volatile CompletableFuture<StatefulConnection<byte[], byte[]>> future;
    private volatile long attemptNanos;

    Slot(
        Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>> connector,
        EventLoop loop) {
      this.connector = connector;
      this.loop = loop;
    }

    synchronized void connect() {
      attemptNanos = System.nanoTime();
      CompletableFuture<StatefulConnection<byte[], byte[]>> attempt = new CompletableFuture<>();
      connector
          .get()
          .whenComplete(
              (connection, error) -> {
                if (error != null) {
                  log.warn("{}", failure("connect to Redis", error).getMessage());
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

  /**
   * Hands Lettuce one event loop it does not own: every connection of a client using it is
   * registered on that loop, and shutting the client down leaves the loop running.
   */
  private record SingleLoopProvider(EventLoop loop) implements EventLoopGroupProvider {
    @Override
    @SuppressWarnings("unchecked")
    public <T extends EventLoopGroup> T allocate(Class<T> type) {
      return (T) loop;
    }

    @Override
    public int threadPoolSize() {
      return 1;
    }

    @Override
    public Future<Boolean> release(
        EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }

    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
      return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
    }
  }
}
