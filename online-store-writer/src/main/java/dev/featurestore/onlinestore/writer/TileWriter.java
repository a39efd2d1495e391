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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the tiles of one aggregated view with {@link TileScript}, pipelined as {@link
 * NewerWinsWriter} writes values: (key, field, value) triples are grouped into script calls of
 * {@code fieldsPerCall} fields (in a Redis Cluster, keys of one hash slot), calls are flushed every
 * {@code flushEvery} calls, and the writer waits for the oldest calls when more than {@code
 * maxInFlight} are unanswered. Every call of the writer trims below one bound and expires keys by
 * one rule (the view's interval and longest window). Not thread-safe: one per task.
 */
public final class TileWriter implements AutoCloseable {
  private final RedisConnections.Shared redis;
  private final byte[][] header;
  private final int fieldsPerCall;
  private final int flushEvery;
  private final int maxInFlight;
  private final Map<Integer, Batch> batches = new HashMap<>();
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private int unflushed;
  private long written;
  private long notNewer;
  private long trimmed;

  /**
   * @param trimBelowTile fields with a smaller tile index are deleted from every key written
   * @param intervalMicros the view's interval {@code H}
   * @param lifetimeMicros how long after its newest tile's end a key is removed ({@code longest
   *     window + H})
   */
  public TileWriter(
      RedisConnections.Shared redis,
      long trimBelowTile,
      long intervalMicros,
      long lifetimeMicros,
      int fieldsPerCall,
      int flushEvery,
      int maxInFlight) {
    if (fieldsPerCall <= 0 || fieldsPerCall > TileScript.MAX_FIELDS_PER_CALL) {
      throw new IllegalArgumentException(
          "Invalid fields per call: "
              + fieldsPerCall
              + " (1 to "
              + TileScript.MAX_FIELDS_PER_CALL
              + ")");
    }
    if (intervalMicros <= 0 || lifetimeMicros < 0) {
      throw new IllegalArgumentException(
          "Invalid interval or lifetime: " + intervalMicros + ", " + lifetimeMicros);
    }
    this.redis = redis;
    this.header = new byte[][] {ascii(trimBelowTile), ascii(intervalMicros), ascii(lifetimeMicros)};
    this.fieldsPerCall = fieldsPerCall;
    this.flushEvery = flushEvery;
    this.maxInFlight = maxInFlight;
  }

  /** Tile fields written so far (answered by Redis). */
  public long written() {
    return written;
  }

  /** Tile fields not written because Redis held one through a later time. */
  public long notNewer() {
    return notNewer;
  }

  /** Old tile fields deleted by trimming. */
  public long trimmed() {
    return trimmed;
  }

  /**
   * Queues the write of one tile of one entity hash. The fields of one key are best written one
   * after the other (they then share one group of the call).
   */
  public void write(byte[] key, byte[] field, byte[] value) throws InterruptedException {
    int slot = redis.target().cluster() ? SlotHash.getSlot(key) : 0;
    Batch batch = batches.computeIfAbsent(slot, s -> new Batch(fieldsPerCall));
    batch.add(key, field, value);
    if (batch.fields() == fieldsPerCall) {
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
    byte[][] keys = batch.keys();
    byte[][] args = batch.args(header);
    RedisFuture<List<Long>> future =
        redis.commands().evalsha(TileScript.SHA, ScriptOutputType.MULTI, keys, args);
    inFlight.add(new Pending(keys, args, future));
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
    List<Long> counts =
        redis.awaitScript(
            pending.future(),
            TileScript.SOURCE,
            ScriptOutputType.MULTI,
            pending.keys(),
            pending.args());
    written += counts.get(0);
    notNewer += counts.get(1);
    trimmed += counts.get(2);
  }

  @Override
  public void close() {
    batches.clear();
    inFlight.clear();
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  private record Pending(byte[][] keys, byte[][] args, RedisFuture<List<Long>> future) {}

  /** The fields of one script call, grouped by key in arrival order. */
  private static final class Batch {
    private final List<byte[]> keys = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<byte[]> pairs;
    private int fields;

    Batch(int capacity) {
      pairs = new ArrayList<>(2 * capacity);
    }

    void add(byte[] key, byte[] field, byte[] value) {
      int last = keys.size() - 1;
      if (last >= 0 && Arrays.equals(keys.get(last), key)) {
        counts.set(last, counts.get(last) + 1);
      } else {
        keys.add(key);
        counts.add(1);
      }
      pairs.add(field);
      pairs.add(value);
      fields++;
    }

    int fields() {
      return fields;
    }

    byte[][] keys() {
      return keys.toArray(new byte[0][]);
    }

    byte[][] args(byte[][] header) {
      byte[][] args = new byte[header.length + keys.size() + pairs.size()][];
      int a = 0;
      for (byte[] h : header) {
        args[a++] = h;
      }
      int p = 0;
      for (int k = 0; k < keys.size(); k++) {
        int count = counts.get(k);
        args[a++] = ascii(count);
        for (int j = 0; j < 2 * count; j++) {
          args[a++] = pairs.get(p++);
        }
      }
      return args;
    }
  }
}
