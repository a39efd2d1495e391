/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.JoinKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

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
