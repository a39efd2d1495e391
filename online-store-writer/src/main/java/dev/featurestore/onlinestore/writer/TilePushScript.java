/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

/**
 * The tile write of a push (docs/online-store-layout.md, "Tiles"): a compare-and-set of some tiles
 * of one entity hash, then the trimming and expiry every tile write does ({@link
 * TileScript#TRIM_AND_EXPIRE}).
 *
 * <p>KEYS[1] is the entity hash. ARGV[1] is the trim bound (a tile index), ARGV[2] the interval
 * {@code H} and ARGV[3] the lifetime after a tile's end ({@code longest window + H}), both in
 * microseconds; ARGV[4] the number {@code c} of fields; then the {@code c} fields, the {@code c}
 * values the writer expects to be stored (an empty string for none) and the {@code c} new values.
 *
 * <p>Atomically: when every field holds exactly the expected bytes (a key holding something other
 * than a hash holds none), the new values are written, old tiles trimmed and the removal time set,
 * and it returns {1, trimmed}. Otherwise it writes nothing and returns {0, the stored values...}
 * (an empty string for none), from which the writer merges again. So a push never overwrites a tile
 * another writer (a materialization, a push) wrote after it read.
 */
public final class TilePushScript {
  public static final String SOURCE =
      """
      local key = KEYS[1]
      local trimBelow = tonumber(ARGV[1])
      local interval = tonumber(ARGV[2])
      local lifetime = tonumber(ARGV[3])
      local c = tonumber(ARGV[4])
      local kind = redis.call('TYPE', key).ok
      local fields = {}
      for j = 1, c do fields[j] = ARGV[4 + j] end
      local stored = {}
      if kind == 'hash' then stored = redis.call('HMGET', key, unpack(fields)) end
      local same = true
      local current = {}
      for j = 1, c do
        local value = stored[j]
        if not value then value = '' end
        current[j] = value
        if value ~= ARGV[4 + c + j] then same = false end
      end
      if not same then return {0, unpack(current)} end
      if kind ~= 'hash' and kind ~= 'none' then redis.call('DEL', key) end
      local kv = {}
      for j = 1, c do
        kv[2 * j - 1] = fields[j]
        kv[2 * j] = ARGV[4 + 2 * c + j]
      end
      redis.call('HSET', key, unpack(kv))
      local trimmed = 0
      """
          + TileScript.TRIM_AND_EXPIRE
          + """
      return {1, trimmed}
      """;

  /** The SHA-1 the script is cached under in Redis (EVALSHA). */
  public static final String SHA = TileScript.sha1(SOURCE);

  private TilePushScript() {}
}
