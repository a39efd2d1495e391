/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The newer-wins write, atomic in Redis, for a batch of keys per call (see
 * docs/online-store-layout.md).
 *
 * <p>KEYS are n online-store keys; ARGV[i] is the value for KEYS[i] and ARGV[n + i] its removal
 * time in epoch milliseconds ({@code 0}: no expiry). A value lands when nothing is stored, or when
 * its bytes 2-17 (Lua positions; the event then created timestamp) are, as unsigned bytes, greater
 * than or equal to the stored value's. It is written with {@code SET ... PXAT} (one atomic SET plus
 * PEXPIREAT, Redis 6.2+) or, without expiry, a plain {@code SET}, which also clears an earlier TTL.
 * The script returns how many keys it wrote.
 *
 * <p>The bytes are compared one by one with {@code string.byte} rather than with Lua's {@code <},
 * which uses the server's collation locale.
 */
public final class NewerWinsScript {
  public static final String SOURCE =
      """
      local n = #KEYS
      local written = 0
      local byte = string.byte
      for i = 1, n do
        local new = ARGV[i]
        local stored = redis.call('GET', KEYS[i])
        local newer = true
        if stored and #stored >= 17 then
          for j = 2, 17 do
            local a, b = byte(stored, j), byte(new, j)
            if a ~= b then
              newer = b > a
              break
            end
          end
        end
        if newer then
          local expireAt = ARGV[n + i]
          if expireAt == '0' then
            redis.call('SET', KEYS[i], new)
          else
            redis.call('SET', KEYS[i], new, 'PXAT', expireAt)
          end
          written = written + 1
        end
      end
      return written
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
