/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The newer-wins write, atomic in Redis, for a batch of keys per call (see
 * docs/online-store-layout.md).
 *
 * <p>KEYS are n online-store keys of one hash slot; ARGV[i] is the value for KEYS[i] and ARGV[n +
 * i] its removal time in epoch milliseconds ({@code 0}: no expiry). A value lands when nothing is
 * stored (or a non-string, or fewer than 17 bytes), or when its bytes 2-17 (Lua positions; the
 * event then created timestamp) are, as unsigned bytes, greater than or equal to the stored
 * value's. A key may appear more than once in a call: each value is compared with the one chosen so
 * far. The script returns how many distinct keys it wrote.
 *
 * <p>Redis work per key is kept small (measured in benchmarks/results/materializer.md): one {@code
 * MGET} reads every stored value of the batch; the winners are written with one {@code MSET} when
 * none of them expires, else one {@code SET ... PXAT} each (SET plus PEXPIREAT in one command,
 * Redis 6.2+; a plain {@code SET} clears an earlier TTL). The 16 header bytes are compared as four
 * unsigned 32-bit big-endian numbers read with {@code struct.unpack}, not with Lua's {@code <} on
 * strings, which uses the server's collation locale ({@code LC_COLLATE}). Multi-key calls are fine
 * in a Redis Cluster because every key of a call is in one slot.
 */
public final class NewerWinsScript {
  /**
   * The most keys per call: {@code MSET} gets 2 arguments per key through Lua's {@code unpack},
   * which is limited to about 8000 values.
   */
  public static final int MAX_KEYS_PER_CALL = 2048;

  public static final String SOURCE =
      """
      local n = #KEYS
      local stored = redis.call('MGET', unpack(KEYS))
      local header = struct.unpack
      local wins = {}
      local chosen = {}
      local m = 0
      local expiring = false
      for i = 1, n do
        local key, new = KEYS[i], ARGV[i]
        local at = chosen[key]
        local old = stored[i]
        if at then old = ARGV[wins[at]] end
        local newer = true
        if old and old ~= new and #old >= 17 then
          local a1, a2, a3, a4 = header('>I4I4I4I4', old, 2)
          local b1, b2, b3, b4 = header('>I4I4I4I4', new, 2)
          if a1 ~= b1 then newer = b1 > a1
          elseif a2 ~= b2 then newer = b2 > a2
          elseif a3 ~= b3 then newer = b3 > a3
          else newer = b4 >= a4 end
        end
        if newer then
          if not at then
            m = m + 1
            at = m
            chosen[key] = m
          end
          wins[at] = i
          if ARGV[n + i] ~= '0' then expiring = true end
        end
      end
      if m == 0 then return 0 end
      if expiring then
        for j = 1, m do
          local i = wins[j]
          local expireAt = ARGV[n + i]
          if expireAt == '0' then
            redis.call('SET', KEYS[i], ARGV[i])
          else
            redis.call('SET', KEYS[i], ARGV[i], 'PXAT', expireAt)
          end
        end
      else
        local kv = {}
        for j = 1, m do
          local i = wins[j]
          kv[2 * j - 1] = KEYS[i]
          kv[2 * j] = ARGV[i]
        end
        redis.call('MSET', unpack(kv))
      end
      return m
      """;

  /** The SHA-1 the script is cached under in Redis (EVALSHA). */
  public static final String SHA = sha1(SOURCE);

  private NewerWinsScript() {}

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }
}
