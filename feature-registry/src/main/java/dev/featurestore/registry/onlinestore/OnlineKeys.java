/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Binary Redis keys of the online store, one key per (entity key, feature view):
 *
 * <pre>
 *   '{' entity-key '}' view-tag
 * </pre>
 *
 * <p>The entity key is the view's join key values in order, each as a type byte and the value: an
 * integer (int32 or int64) as {@code 0x01} and 8 bytes big-endian; a string as {@code 0x02}, an
 * unsigned LEB128 length and UTF-8; bytes as {@code 0x03}, the length and the bytes. The braces
 * make it the Redis Cluster hash tag, so every view of one entity key lives in one slot (the type
 * byte is never {@code '}'}, so the tag is never empty). Inside the entity key, {@code 0x7D} ('}')
 * is written as {@code 0x7E 0x01} and {@code 0x7E} as {@code 0x7E 0x02}, so no '}' ends the tag
 * early: the tag always covers the whole entity key and keys spread evenly over slots. The view tag
 * is the first 4 bytes of SHA-256 of {@code project + "/" + view}: keys are compact, and no long
 * name is repeated per key. See docs/online-store-layout.md.
 */
public final class OnlineKeys {
  private static final byte INTEGER = 0x01;
  private static final byte STRING = 0x02;
  private static final byte BYTES = 0x03;
  private static final byte CLOSE = '}';
  private static final byte ESCAPE = '~';

  private OnlineKeys() {}

  /** Returns the 4-byte tag that names a view of a project inside keys. */
  public static byte[] viewTag(String project, String view) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((project + "/" + view).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new FeatureStoreException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
    }
  }

  /**
   * Encodes the entity key part (without braces) from join key values in the view's join key order.
   * Integers may be {@link Integer} or {@link Long}, strings {@link String}, bytes {@code byte[]}
   * or {@link ByteBuffer}.
   *
   * @throws FeatureStoreException INVALID_ARGUMENT for a null value or a value of the wrong type
   */
  public static byte[] entityKey(List<JoinKey> joinKeys, List<?> values) {
    if (joinKeys.size() != values.size()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot encode entity key: %d join keys but %d values",
          joinKeys.size(),
          values.size());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16);
    for (int i = 0; i < joinKeys.size(); i++) {
      writeKeyValue(out, joinKeys.get(i), values.get(i));
    }
    return escapeClosingBrace(out.toByteArray());
  }

  /** Replaces 0x7D by 0x7E 0x01 and 0x7E by 0x7E 0x02 (injective; the result has no 0x7D). */
  private static byte[] escapeClosingBrace(byte[] bytes) {
    int escapes = 0;
    for (byte b : bytes) {
      if (b == CLOSE || b == ESCAPE) {
        escapes++;
      }
    }
    if (escapes == 0) {
      return bytes;
    }
    byte[] escaped = new byte[bytes.length + escapes];
    int j = 0;
    for (byte b : bytes) {
      if (b == CLOSE || b == ESCAPE) {
        escaped[j++] = ESCAPE;
        escaped[j++] = b == CLOSE ? (byte) 0x01 : (byte) 0x02;
      } else {
        escaped[j++] = b;
      }
    }
    return escaped;
  }

  /** Returns the full Redis key for an encoded entity key and a view tag. */
  public static byte[] key(byte[] entityKey, byte[] viewTag) {
    byte[] key = new byte[entityKey.length + 2 + viewTag.length];
    key[0] = '{';
    System.arraycopy(entityKey, 0, key, 1, entityKey.length);
    key[entityKey.length + 1] = '}';
    System.arraycopy(viewTag, 0, key, entityKey.length + 2, viewTag.length);
    return key;
  }

  /** Convenience: the Redis key of a view of a project for join key values. */
  public static byte[] key(String project, String view, List<JoinKey> joinKeys, List<?> values) {
    return key(entityKey(joinKeys, values), viewTag(project, view));
  }

  /**
   * Decodes an entity key part (without braces, as {@link #entityKey} writes it) back into join key
   * values in the view's join key order: an int32 key as {@link Integer}, an int64 key as {@link
   * Long}, a string as {@link String}, bytes as {@code byte[]}.
   *
   * @throws FeatureStoreException INVALID_DATA when the bytes are no entity key of these join keys
   */
  public static List<Object> decodeEntityKey(List<JoinKey> joinKeys, byte[] entityKey) {
    byte[] bytes = unescapeClosingBrace(entityKey);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    List<Object> values = new ArrayList<>(joinKeys.size());
    for (JoinKey joinKey : joinKeys) {
      if (!in.hasRemaining()) {
        throw notAnEntityKey(
            joinKeys, entityKey, "it ends before join key '" + joinKey.name() + "'");
      }
      byte type = in.get();
      switch (joinKey.type()) {
        case INT32, INT64 -> {
          if (type != INTEGER || in.remaining() < 8) {
            throw notAnEntityKey(
                joinKeys, entityKey, "join key '" + joinKey.name() + "' is no integer");
          }
          long value = in.getLong();
          if (joinKey.type() == ValueType.INT32) {
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
              throw notAnEntityKey(
                  joinKeys, entityKey, "int32 join key '" + joinKey.name() + "' is " + value);
            }
            values.add((int) value);
          } else {
            values.add(value);
          }
        }
        case STRING, BYTES -> {
          byte expected = joinKey.type() == ValueType.STRING ? STRING : BYTES;
          if (type != expected) {
            throw notAnEntityKey(
                joinKeys,
                entityKey,
                "join key '"
                    + joinKey.name()
                    + "' is no "
                    + joinKey.type().toString().toLowerCase(Locale.ROOT));
          }
          byte[] value = readBytes(in, joinKeys, entityKey, joinKey);
          values.add(
              joinKey.type() == ValueType.STRING
                  ? new String(value, StandardCharsets.UTF_8)
                  : value);
        }
        default ->
            throw FeatureStoreException.of(
                ErrorCode.INVALID_ARGUMENT,
                "Cannot decode entity key: join key '%s' has type %s, which cannot be a key",
                joinKey.name(),
                joinKey.type());
      }
    }
    if (in.hasRemaining()) {
      throw notAnEntityKey(
          joinKeys, entityKey, in.remaining() + " bytes are left after the last join key");
    }
    return values;
  }

  /**
   * Returns the entity key part of a full Redis key of the view whose tag is {@code viewTag}, or
   * null when the key is not one of that view's keys.
   */
  public static byte[] entityKeyOf(byte[] key, byte[] viewTag) {
    int length = key.length - 2 - viewTag.length;
    if (length < 1 || key[0] != '{' || key[length + 1] != CLOSE) {
      return null;
    }
    for (int i = 0; i < viewTag.length; i++) {
      if (key[length + 2 + i] != viewTag[i]) {
        return null;
      }
    }
    return Arrays.copyOfRange(key, 1, length + 1);
  }

  private static byte[] readBytes(
      ByteBuffer in, List<JoinKey> joinKeys, byte[] entityKey, JoinKey joinKey) {
    long length = 0;
    int shift = 0;
    while (true) {
      if (!in.hasRemaining() || shift > 28) {
        throw notAnEntityKey(
            joinKeys, entityKey, "the length of join key '" + joinKey.name() + "' is cut off");
      }
      byte b = in.get();
      length |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    if (length > in.remaining()) {
      throw notAnEntityKey(
          joinKeys,
          entityKey,
          "join key '"
              + joinKey.name()
              + "' needs "
              + length
              + " bytes, "
              + in.remaining()
              + " left");
    }
    byte[] value = new byte[(int) length];
    in.get(value);
    return value;
  }

  /** Reverses {@link #escapeClosingBrace}. */
  private static byte[] unescapeClosingBrace(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == ESCAPE && i + 1 < bytes.length && (bytes[i + 1] == 0x01 || bytes[i + 1] == 0x02)) {
        out.write(bytes[++i] == 0x01 ? CLOSE : ESCAPE);
      } else if (b == ESCAPE || b == CLOSE) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_DATA,
            "Cannot decode entity key %s: byte %d is an unescaped 0x%02X",
            HexFormat.of().formatHex(bytes),
            i,
            b);
      } else {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static FeatureStoreException notAnEntityKey(
      List<JoinKey> joinKeys, byte[] entityKey, String reason) {
    return FeatureStoreException.of(
        ErrorCode.INVALID_DATA,
        "Cannot decode entity key %s as join keys %s: %s",
        HexFormat.of().formatHex(entityKey),
        joinKeys.stream().map(k -> k.name() + " " + k.type()).toList(),
        reason);
  }

  private static void writeKeyValue(ByteArrayOutputStream out, JoinKey joinKey, Object value) {
    if (value == null) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT, "Cannot encode entity key: '%s' is null", joinKey.name());
    }
    switch (joinKey.type()) {
      case INT32, INT64 -> {
        if (!(value instanceof Integer || value instanceof Long)) {
          throw wrongType(joinKey, value);
        }
        out.write(INTEGER);
        out.writeBytes(ByteBuffer.allocate(8).putLong(((Number) value).longValue()).array());
      }
      case STRING -> {
        if (!(value instanceof String s)) {
          throw wrongType(joinKey, value);
        }
        out.write(STRING);
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
      }
      case BYTES -> {
        byte[] bytes;
        if (value instanceof byte[] b) {
          bytes = b;
        } else if (value instanceof ByteBuffer buffer) {
          bytes = new byte[buffer.remaining()];
          buffer.duplicate().get(bytes);
        } else {
          throw wrongType(joinKey, value);
        }
        out.write(BYTES);
        writeBytes(out, bytes);
      }
      default ->
          throw FeatureStoreException.of(
              ErrorCode.INVALID_ARGUMENT,
              "Cannot encode entity key: join key '%s' has type %s, which cannot be a key",
              joinKey.name(),
              joinKey.type());
    }
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
    int length = bytes.length;
    while ((length & ~0x7F) != 0) {
      out.write((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    out.write(length);
    out.writeBytes(bytes);
  }

  private static FeatureStoreException wrongType(JoinKey joinKey, Object value) {
    return FeatureStoreException.of(
        ErrorCode.INVALID_ARGUMENT,
        "Cannot encode entity key: '%s' must be %s, got %s",
        joinKey.name(),
        joinKey.type(),
        value.getClass().getSimpleName());
  }
}
