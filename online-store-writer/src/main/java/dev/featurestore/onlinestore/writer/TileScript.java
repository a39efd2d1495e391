/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tile write of aggregated views, atomic in Redis per key (docs/online-store-layout.md,
 * "Tiles"): non-regression per tile, trimming and expiry, for a batch of keys of one hash slot per
 * call.
 *
 * <p>KEYS are n entity hashes of one aggregated view (one hash slot). ARGV[1] is the trim bound (a
 * tile index: fields with a smaller index are deleted), ARGV[2] the interval {@code H} and ARGV[3]
 * the lifetime after a tile's end ({@code longest window + H}), both in microseconds; then, for
 * each key in order, the number {@code c} of its fields followed by {@code c} (field, value) pairs.
 * A field is the tile index in decimal ASCII, a value the tile's bytes ({@code TileCodec}): 8 bytes
 * big-endian {@code through} (microseconds) then the partial aggregates.
 *
 * <p>Per key, atomically:
 *
 * <ol>
 *   <li>A key holding something other than a hash (the value of a plain view of the same name,
 *       before the view became aggregated) is deleted.
 *   <li>Each field is written when nothing is stored for it, the stored value is shorter than 8
 *       bytes, or the new {@code through} is greater than or equal to the stored one. The two
 *       {@code through} are compared as (signed high 32 bits, unsigned low 32 bits) read with
 *       {@code struct.unpack('>i4I4')}: exact for every 64-bit time, including before 1970, and
 *       free of Lua's string {@code <} (the server's collation locale) and of Lua's doubles (exact
 *       only up to 2^53). A field repeated in one call is compared with the value chosen so far.
 *       The winners are written with one multi-field {@code HSET} (Redis 4+).
 *   <li>Fields whose tile index is below the trim bound, or below the newest stored tile minus
 *       {@code lifetime / H} (no window as of any time in the newest tile reaches them, so an older
 *       backfill cannot bring back a trimmed tile), are deleted ({@code HKEYS}: a key holds at most
 *       about {@code longest window / H + 2} tiles, so this stays small).
 *   <li>The key's removal time is set with {@code PEXPIREAT} to (newest stored tile's end +
 *       lifetime), from the tiles in the hash after the write: an older run, which writes older
 *       tiles, leaves the newest tile and so its removal time in place, and never shortens it. Tile
 *       indexes and times are Lua doubles here, exact below 2^53 microseconds (year 2255).
 * </ol>
 *
 * <p>It returns {written, not newer, trimmed} field counts. Plain {@code EVAL}, no Functions and no
 * per-field expiry: Redis 6.2 and 7.x; one hash slot per call, so it runs in a Redis Cluster.
 */
public final class TileScript {
  /** The most fields per call (each becomes two arguments of one {@code HSET} via unpack). */
  public static final int MAX_FIELDS_PER_CALL = 2048;

  /**
   * The trimming and expiry of one entity hash after a write, shared with {@link TilePushScript}:
   * with {@code key}, {@code trimBelow}, {@code interval} and {@code lifetime} set, deletes the
   * fields below the trim bound or below the newest tile minus {@code lifetime / H}, adds their
   * number to {@code trimmed}, and sets the key's removal time (steps 3 and 4 above).
   */
  static final String TRIM_AND_EXPIRE =
      """
      local newest = nil
      local names = redis.call('HKEYS', key)
      for _, field in ipairs(names) do
        local tile = tonumber(field)
        if tile ~= nil and (newest == nil or tile > newest) then newest = tile end
      end
      local bound = trimBelow
      if newest ~= nil and newest - lifetime / interval > bound then
        bound = newest - lifetime / interval
      end
      local stale = {}
      for _, field in ipairs(names) do
        local tile = tonumber(field)
        if tile == nil or tile < bound then stale[#stale + 1] = field end
      end
      if newest ~= nil and newest < bound then newest = nil end
      if #stale > 0 then
        redis.call('HDEL', key, unpack(stale))
        trimmed = trimmed + #stale
      end
      if newest ~= nil then
        local expireAt = math.floor(((newest + 1) * interval + lifetime) / 1000)
        redis.call('PEXPIREAT', key, string.format('%.0f', expireAt))
      end
      """;

  public static final String SOURCE =
"""
      local trimBelow = tonumber(ARGV[1])
      local interval = tonumber(ARGV[2])
      local lifetime = tonumber(ARGV[3])
      local unpackHeader = struct.unpack
      local written, notNewer, trimmed = 0, 0, 0
      local a = 4
      for k = 1, #KEYS do
        local key = KEYS[k]
        local c = tonumber(ARGV[a])
        a = a + 1
        local kind = redis.call('TYPE', key).ok
        if kind ~= 'hash' and kind ~= 'none' then redis.call('DEL', key) end
        local fields = {}
        for j = 1, c do fields[j] = ARGV[a + 2 * (j - 1)] end
        local stored = {}
        if c > 0 then stored = redis.call('HMGET', key, unpack(fields)) end
        local chosen = {}
        local order = {}
        for j = 1, c do
          local field, new = ARGV[a + 2 * (j - 1)], ARGV[a + 2 * j - 1]
          local old = chosen[field]
          if old == nil then old = stored[j] end
          local newer = true
          if old and #old >= 8 then
            local oh, ol = unpackHeader('>i4I4', old)
            local nh, nl = unpackHeader('>i4I4', new)
            if oh ~= nh then newer = nh > oh else newer = nl >= ol end
          end
          if newer then
            if chosen[field] == nil then order[#order + 1] = field end
            chosen[field] = new
            written = written + 1
          else
            notNewer = notNewer + 1
          end
        end
        a = a + 2 * c
        if #order > 0 then
          local kv = {}
          for j = 1, #order do
            kv[2 * j - 1] = order[j]
            kv[2 * j] = chosen[order[j]]
          end
          redis.call('HSET', key, unpack(kv))
        end
"""
          + TRIM_AND_EXPIRE
          + """
      end
      return {written, notNewer, trimmed}
      """;

  /** The SHA-1 the script is cached under in Redis (EVALSHA). */
  public static final String SHA = sha1(SOURCE);

  private TileScript() {}

  static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }
}
