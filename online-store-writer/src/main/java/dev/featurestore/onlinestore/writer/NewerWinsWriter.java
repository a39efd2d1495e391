/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes (key, value, removal time) triples with the newer-wins script, pipelined: keys are grouped
 * into script calls of {@code batchSize} keys (in a Redis Cluster, keys of one hash slot), calls
 * are flushed every {@code flushEvery} calls, and the writer waits for the oldest calls when more
 * than {@code maxInFlight} are unanswered. Not thread-safe: one per task.
 */
public final class NewerWinsWriter implements AutoCloseable {
  private static final byte[] NO_EXPIRY = {'0'};

  private final RedisConnections.Shared redis;
  private final int batchSize;
  private final int flushEvery;
  private final int maxInFlight;
  private final Map<Integer, Batch> batches = new HashMap<>();
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private int unflushed;
  private long written;
  private long notNewer;

  public NewerWinsWriter(
      RedisConnections.Shared redis, int batchSize, int flushEvery, int maxInFlight) {
    this.redis = redis;
    this.batchSize = batchSize;
    this.flushEvery = flushEvery;
    this.maxInFlight = maxInFlight;
  }

  /** Keys written so far (answered by Redis). */
  public long written() {
    return written;
  }

  /** Keys not written because Redis held a newer value (answered by Redis). */
  public long notNewer() {
    return notNewer;
  }

  /**
   * Queues a write.
   *
   * @param expireAtMillis the removal time, or 0 for none
   */
  public void write(byte[] key, byte[] value, long expireAtMillis) throws InterruptedException {
    int slot = redis.target().cluster() ? SlotHash.getSlot(key) : 0;
    Batch batch = batches.computeIfAbsent(slot, s -> new Batch(batchSize));
    batch.add(
        key,
        value,
        expireAtMillis == 0
            ? NO_EXPIRY
            : Long.toString(expireAtMillis).getBytes(StandardCharsets.US_ASCII));
    if (batch.size() == batchSize) {
      batches.remove(slot);
      send(batch);
    }
  }

  /** Sends what is left and waits for every answer. */
  public void finish() throws InterruptedException {
    for (Batch batch : batches.values()) {
      send(batch);
    }
    batches.clear();
    flush();
    while (!inFlight.isEmpty()) {
      await(inFlight.poll());
    }
  }

  private void send(Batch batch) throws InterruptedException {
    RedisFuture<Long> future =
        redis
            .commands()
            .evalsha(NewerWinsScript.SHA, ScriptOutputType.INTEGER, batch.keys(), batch.args());
    inFlight.add(new Pending(batch, future));
    if (++unflushed >= flushEvery) {
      flush();
    }
    while (inFlight.size() > maxInFlight) {
      flush();
      await(inFlight.poll());
    }
  }

  private void flush() {
    if (unflushed > 0) {
      redis.flush();
      unflushed = 0;
    }
  }

  private void await(Pending pending) throws InterruptedException {
    long count =
        redis.awaitScript(
            pending.future(),
            NewerWinsScript.SOURCE,
            ScriptOutputType.INTEGER,
            pending.batch().keys(),
            pending.batch().args());
    written += count;
    notNewer += pending.batch().size() - count;
  }

  @Override
  public void close() {
    batches.clear();
    inFlight.clear();
  }

  private record Pending(Batch batch, RedisFuture<Long> future) {}

  /** Keys and ARGV (values, then removal times) of one script call. */
  private static final class Batch {
    private final List<byte[]> keys;
    private final List<byte[]> values;
    private final List<byte[]> expireAts;

    Batch(int capacity) {
      keys = new ArrayList<>(capacity);
      values = new ArrayList<>(capacity);
      expireAts = new ArrayList<>(capacity);
    }

    void add(byte[] key, byte[] value, byte[] expireAt) {
      keys.add(key);
      values.add(value);
      expireAts.add(expireAt);
    }

    int size() {
      return keys.size();
    }

    byte[][] keys() {
      return keys.toArray(new byte[0][]);
    }

    byte[][] args() {
      byte[][] args = new byte[keys.size() * 2][];
      for (int i = 0; i < keys.size(); i++) {
        args[i] = values.get(i);
        args[keys.size() + i] = expireAts.get(i);
      }
      return args;
    }
  }
}
