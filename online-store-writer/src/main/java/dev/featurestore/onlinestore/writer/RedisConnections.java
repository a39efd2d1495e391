/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.onlinestore.RedisReplies;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived Lettuce connection per JVM (driver or executor) and Redis target, shared by every
 * task of the JVM. Lettuce connections are thread-safe; auto-flush is off, so each writer flushes
 * its own pipeline (flushing also sends what another task queued, which is harmless).
 *
 * <p>The connection does not reconnect by itself and rejects commands while disconnected, so a lost
 * Redis fails the running tasks at once instead of stalling them; the next task that asks for the
 * connection gets a fresh one.
 */
public final class RedisConnections {
  private static final Map<RedisConfig, Shared> CONNECTIONS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(RedisConnections::closeAll, "redis-close"));
  }

  private RedisConnections() {}

  /** A shared connection: its client, the connection and its async scripting commands. */
  public record Shared(
      RedisConfig target,
      AbstractRedisClient client,
      StatefulConnection<byte[], byte[]> connection,
      RedisScriptingAsyncCommands<byte[], byte[]> commands) {
    /** Sends what is queued on the connection. */
    public void flush() {
      connection.flushCommands();
    }

    /** The command timeout. */
    public Duration timeout() {
      return connection.getTimeout();
    }

    /**
     * Waits up to the command timeout for a reply, flushing again every {@value
     * #FLUSH_AGAIN_MILLIS} ms while none came. A Redis Cluster connection queues a command for a
     * node whose connection is still opening only once it is open, which can be after the writer's
     * flush (lettuce issues 1111 and 2420); without another flush such a command is never sent.
     *
     * @throws ExecutionException when Redis answered with an error or the command failed
     * @throws FeatureStoreException UNAVAILABLE when no answer came within the timeout
     */
    public <T> T await(Future<T> future) throws InterruptedException, ExecutionException {
      long deadline = System.nanoTime() + timeout().toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw writeFailure(
              target, new TimeoutException("no answer within " + timeout().toSeconds() + "s"));
        }
        try {
          return future.get(
              Math.min(left, TimeUnit.MILLISECONDS.toNanos(FLUSH_AGAIN_MILLIS)),
              TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          flush();
        }
      }
    }

    /**
     * Waits for the reply of an {@code EVALSHA} of a script; when the server has not cached it
     * ({@code NOSCRIPT}: a restarted server, another cluster node), sends it with {@code EVAL},
     * which loads it, and waits for that reply.
     *
     * @throws FeatureStoreException UNAVAILABLE for any other error or no answer in time
     */
    public <T> T awaitScript(
        Future<T> evalsha, String source, ScriptOutputType type, byte[][] keys, byte[][] args)
        throws InterruptedException {
      try {
        return await(evalsha);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RedisNoScriptException)) {
          throw writeFailure(target, e.getCause());
        }
      }
      RedisFuture<T> retry = commands.eval(source, type, keys, args);
      flush();
      try {
        return await(retry);
      } catch (ExecutionException again) {
        throw writeFailure(target, again.getCause());
      }
    }
  }

  private static final long FLUSH_AGAIN_MILLIS = 20;

  /**
   * Returns the JVM's open connection to a target, connecting when there is none or the last one
   * was lost.
   *
   * @throws FeatureStoreException UNAVAILABLE naming the (redacted) address when Redis cannot be
   *     reached
   */
  public static Shared get(RedisConfig target) {
    Shared shared = CONNECTIONS.get(target);
    if (shared != null && shared.connection().isOpen()) {
      return shared;
    }
    synchronized (RedisConnections.class) {
      shared = CONNECTIONS.get(target);
      if (shared != null && shared.connection().isOpen()) {
        return shared;
      }
      if (shared != null) {
        close(shared);
      }
      shared = connect(target);
      CONNECTIONS.put(target, shared);
      return shared;
    }
  }

  /** Closes and forgets the JVM's connection to a target (after a failure). */
  public static void evict(RedisConfig target) {
    synchronized (RedisConnections.class) {
      Shared shared = CONNECTIONS.remove(target);
      if (shared != null) {
        close(shared);
      }
    }
  }

  /** Closes every connection of this JVM. */
  public static void closeAll() {
    synchronized (RedisConnections.class) {
      CONNECTIONS.values().forEach(RedisConnections::close);
      CONNECTIONS.clear();
    }
  }

  /**
   * Connects and checks the connection (loading the newer-wins and tile scripts).
   *
   * @throws FeatureStoreException UNAVAILABLE naming the address when Redis cannot be reached,
   *     INVALID_ARGUMENT when it refuses the credentials
   */
  public static void check(RedisConfig target) {
    Shared shared = get(target);
    try {
      var ping = shared.commands().scriptLoad(NewerWinsScript.SOURCE);
      var tiles = shared.commands().scriptLoad(TileScript.SOURCE);
      shared.flush();
      shared.await(ping);
      shared.await(tiles);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw writeFailure(target, e);
    } catch (FeatureStoreException e) {
      evict(target);
      throw e;
    } catch (Exception e) {
      evict(target);
      throw writeFailure(target, e);
    }
  }

  /**
   * The error for a Redis that cannot be reached, was lost, or refused the credentials: {@code
   * UNAVAILABLE} naming the (redacted) address, or {@code INVALID_ARGUMENT} saying that the
   * password is wrong or missing and where to fix it.
   */
  public static FeatureStoreException writeFailure(RedisConfig target, Throwable cause) {
    Optional<RedisCommandExecutionException> rejected = authenticationRejected(cause);
    if (rejected.isPresent()) {
      return new FeatureStoreException(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot write to "
              + target.describe()
              + ": authentication failed ("
              + rejected.get().getMessage()
              + "); check the password in online.redis of featurestore.yaml"
              + " (redis://USER:PASSWORD@HOST:PORT, or redis://:PASSWORD@HOST:PORT for the default"
              + " user)",
          cause);
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root.getMessage() == null ? root.toString() : root.getMessage();
    return FeatureStoreException.of(
        ErrorCode.UNAVAILABLE,
        cause,
        "Cannot write to %s: %s (is it running and reachable?)",
        target.describe(),
        reason);
  }

  /**
   * Finds the server's refusal of the credentials in a failure. A Redis error reply starts with its
   * error code, the protocol's type of the error ({@code WRONGPASS} for a wrong user or password,
   * {@code NOAUTH} when none was given), which Lettuce keeps as the first word of a {@link
   * RedisCommandExecutionException}.
   */
  private static Optional<RedisCommandExecutionException> authenticationRejected(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RedisCommandExecutionException reply
          && RedisReplies.refusedCredentials(reply.getMessage()).isPresent()) {
        return Optional.of(reply);
      }
    }
    return Optional.empty();
  }

  /**
   * Connects, trying once more when the first attempt could not reach Redis: Lettuce sometimes
   * reports a login the server refused as a connection closed during the handshake, with no reply
   * to tell why (2 of 300 concurrent attempts with a wrong password, measured with Lettuce 7.7 on
   * Redis 6.2). The second attempt then gets the server's answer, so a wrong password is reported
   * as one rather than as an unreachable Redis. Any other error is not retried.
   */
  private static Shared connect(RedisConfig target) {
    try {
      return connectOnce(target);
    } catch (FeatureStoreException first) {
      if (first.errorCode() != ErrorCode.UNAVAILABLE) {
        throw first;
      }
      try {
        return connectOnce(target);
      } catch (FeatureStoreException second) {
        second.addSuppressed(first);
        throw second;
      }
    }
  }

  private static Shared connectOnce(RedisConfig target) {
    try {
      if (target.cluster()) {
        List<RedisURI> seeds = target.uris().stream().map(RedisURI::create).toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(
            ClusterClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
          StatefulRedisClusterConnection<byte[], byte[]> connection =
              client.connect(ByteArrayCodec.INSTANCE);
          connection.setAutoFlushCommands(false);
          return new Shared(target, client, connection, connection.async());
        } catch (RuntimeException e) {
          client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
          throw e;
        }
      }
      RedisClient client = RedisClient.create();
      client.setOptions(
          ClientOptions.builder()
              .autoReconnect(false)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      try {
        StatefulRedisConnection<byte[], byte[]> connection =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(target.uris().get(0)));
        connection.setAutoFlushCommands(false);
        return new Shared(target, client, connection, connection.async());
      } catch (RuntimeException e) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        throw e;
      }
    } catch (IllegalArgumentException e) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          e,
          "Cannot use Redis address %s: %s",
          String.join(", ", target.redactedUris()),
          e.getMessage());
    } catch (RuntimeException e) {
      throw writeFailure(target, e);
    }
  }

  private static void close(Shared shared) {
    try {
      shared.connection().close();
    } catch (RuntimeException ignored) {
      // Closing a lost connection may fail; the client shutdown below releases it anyway.
    }
    shared.client().shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
