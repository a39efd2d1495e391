/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merges pushed events into the stored tiles of aggregated views with {@link TilePushScript}, an
 * optimistic compare-and-set per entity hash: the first attempt expects nothing stored (a new tile
 * is written in one round trip); when Redis holds something else, the script answers with what it
 * holds, the tiles are merged again from that and written if it is still there. Every key's attempt
 * of a round is pipelined. A tile is thus never replaced by one that lacks what another writer
 * wrote in between, and the push's events are added exactly once.
 */
public final class TilePushWriter {
  /** Computes the value to write for field {@code index} from the stored one (null for none). */
  @FunctionalInterface
  public interface Merge {
    byte[] merge(int index, byte[] stored);
  }

  /** The tiles of one entity hash to merge: their fields and how to merge each. */
  public record Entity(byte[] key, byte[][] fields, Merge merge) {}

  /** What a push wrote: tile fields, old fields trimmed, and compare-and-set attempts repeated. */
  public record Result(long written, long trimmed, long retried) {}

  private static final byte[] NONE = new byte[0];

  private final RedisConnections.Shared redis;
  private final byte[][] header;
  private final int maxAttempts;

  /**
   * @param trimBelowTile fields with a smaller tile index are deleted from every key written
   * @param intervalMicros the view's interval {@code H}
   * @param lifetimeMicros how long after its newest tile's end a key is removed ({@code longest
   *     window + H})
   * @param maxAttempts compare-and-set attempts per key before the write fails
   */
  public TilePushWriter(
      RedisConnections.Shared redis,
      long trimBelowTile,
      long intervalMicros,
      long lifetimeMicros,
      int maxAttempts) {
    if (intervalMicros <= 0 || lifetimeMicros < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "Invalid interval, lifetime or attempts: "
              + intervalMicros
              + ", "
              + lifetimeMicros
              + ", "
              + maxAttempts);
    }
    this.redis = redis;
    this.header = new byte[][] {ascii(trimBelowTile), ascii(intervalMicros), ascii(lifetimeMicros)};
    this.maxAttempts = maxAttempts;
  }

  /**
   * Merges and writes the tiles of every entity; returns once Redis has taken all of them.
   *
   * @throws FeatureStoreException UNAVAILABLE when Redis fails, or when an entity's tiles kept
   *     changing for {@code maxAttempts} attempts (what was written stays: each is a whole tile)
   */
  public Result write(List<Entity> entities) throws InterruptedException {
    List<Attempt> pending = new ArrayList<>();
    for (Entity entity : entities) {
      // In calls of at most TileScript.MAX_FIELDS_PER_CALL fields (Lua's unpack limit).
      for (int from = 0; from < entity.fields().length; from += TileScript.MAX_FIELDS_PER_CALL) {
        int to = Math.min(entity.fields().length, from + TileScript.MAX_FIELDS_PER_CALL);
        int offset = from;
        byte[][] fields = Arrays.copyOfRange(entity.fields(), from, to);
        Merge merge = (index, stored) -> entity.merge().merge(offset + index, stored);
        pending.add(new Attempt(entity.key(), fields, merge, new byte[fields.length][]));
      }
    }
    long written = 0;
    long trimmed = 0;
    long retried = 0;
    for (int round = 1; !pending.isEmpty(); round++) {
      if (round > maxAttempts) {
        throw FeatureStoreException.of(
            ErrorCode.UNAVAILABLE,
            "Cannot write the tiles of %d entities: they changed under the write %d times in a row"
                + " (other pushes or a materialization of the same entities); a retry is safe",
            pending.size(),
            maxAttempts);
      }
      retried += round > 1 ? pending.size() : 0;
      List<RedisFuture<List<Object>>> futures = new ArrayList<>(pending.size());
      for (Attempt attempt : pending) {
        futures.add(
            redis
                .commands()
                .evalsha(
                    TilePushScript.SHA,
                    ScriptOutputType.MULTI,
                    new byte[][] {attempt.key},
                    attempt.args(header)));
      }
      redis.flush();
      List<Attempt> again = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        Attempt attempt = pending.get(i);
        List<Object> reply =
            redis.awaitScript(
                futures.get(i),
                TilePushScript.SOURCE,
                ScriptOutputType.MULTI,
                new byte[][] {attempt.key},
                attempt.args(header));
        if ((Long) reply.get(0) == 1L) {
          written += attempt.fields.length;
          trimmed += (Long) reply.get(1);
        } else {
          byte[][] stored = new byte[attempt.fields.length][];
          for (int j = 0; j < stored.length; j++) {
            byte[] value = (byte[]) reply.get(j + 1);
            stored[j] = value == null || value.length == 0 ? null : value;
          }
          again.add(new Attempt(attempt.key, attempt.fields, attempt.merge, stored));
        }
      }
      pending = again;
    }
    return new Result(written, trimmed, retried);
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** One compare-and-set of some fields of one key: what it expects and what it writes. */
  private static final class Attempt {
    final byte[] key;
    final byte[][] fields;
    final Merge merge;
    final byte[][] expected;
    final byte[][] values;

    Attempt(byte[] key, byte[][] fields, Merge merge, byte[][] expected) {
      this.key = key;
      this.fields = fields;
      this.merge = merge;
      this.expected = expected;
      this.values = new byte[fields.length][];
      for (int j = 0; j < fields.length; j++) {
        values[j] = merge.merge(j, expected[j]);
      }
    }

    byte[][] args(byte[][] header) {
      int c = fields.length;
      byte[][] args = new byte[header.length + 1 + 3 * c][];
      System.arraycopy(header, 0, args, 0, header.length);
      int a = header.length;
      args[a++] = ascii(c);
      for (int j = 0; j < c; j++) {
        args[a + j] = fields[j];
        args[a + c + j] = expected[j] == null ? NONE : expected[j];
        args[a + 2 * c + j] = values[j];
      }
      return args;
    }
  }
}
