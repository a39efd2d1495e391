/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * The one stream form of a sketch's bytes in the module's serialized partial states (the
 * statistics' {@code ColumnState} and drift's {@code ColumnProfile}): a length, -1 for a sketch not
 * created yet, then the bytes.
 */
public final class NullableBytes {
  private NullableBytes() {}

  /** Writes {@code bytes}, which may be null. */
  public static void write(ObjectOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.write(bytes);
    }
  }

  /** Reads what {@link #write} wrote: the bytes, or null. */
  public static byte[] read(ObjectInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
