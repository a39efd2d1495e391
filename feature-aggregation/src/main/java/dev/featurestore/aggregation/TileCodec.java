/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import dev.featurestore.registry.definition.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The bytes of tiles in the online store (docs/online-store-layout.md, "Tiles"). An aggregated
 * view's tiles of one entity are one Redis hash at the entity's usual key ({@code OnlineKeys}):
 * field {@link #field(long)} (the tile index in decimal ASCII) to value {@link #encode}: the tile's
 * {@code through} time (8 bytes big-endian, microseconds: the end of the run that computed it; a
 * tile is only replaced by one through the same or a later time) followed by its partial
 * aggregates, each column's tagged with the column's name so tiles stay readable when aggregations
 * are added (a column a tile lacks reads as no values).
 */
public final class TileCodec {
  private static final int VERSION = 1;
  private static final int MOMENTS = 1;
  private static final int MIN_MAX = 2;
  private static final int LATEST = 4;
  private static final int SKETCH = 8;

  private TileCodec() {}

  /** The hash field of a tile index: its decimal ASCII digits. */
  public static byte[] field(long tile) {
    return Long.toString(tile).getBytes(StandardCharsets.US_ASCII);
  }

  /** The tile index of a hash field. */
  public static long tile(byte[] field) {
    return Long.parseLong(new String(field, StandardCharsets.US_ASCII));
  }

  /** The value of a tile computed through {@code throughMicros}. */
  public static byte[] encode(Tile tile, long throughMicros) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(throughMicros);
      out.writeByte(VERSION);
      out.writeLong(tile.rows);
      out.writeLong(tile.newestEventMicros);
      TileLayout layout = tile.layout;
      out.writeShort(tile.parts.length);
      for (int i = 0; i < tile.parts.length; i++) {
        Tile.Part part = tile.parts[i];
        ValueType type = part.type;
        writeString(out, layout.columns().get(i));
        writeString(out, type.typeName());
        out.writeLong(part.count);
        boolean moments = layout.needsMoments(i) && part.count > 0;
        boolean minMax = layout.needsMinMax(i) && part.min != null;
        boolean sketch = layout.needsSketch(i) && part.sketch != null;
        out.writeByte(
            (moments ? MOMENTS : 0)
                | (minMax ? MIN_MAX : 0)
                | (!part.latest.isEmpty() ? LATEST : 0)
                | (sketch ? SKETCH : 0));
        if (moments) {
          if (type == ValueType.INT32 || type == ValueType.INT64) {
            out.writeLong(part.sumLong());
          } else {
            out.writeDouble(part.sumDouble());
          }
          out.writeDouble(part.m2());
        }
        if (minMax) {
          writeValue(out, type, part.min);
          writeValue(out, type, part.max);
        }
        if (!part.latest.isEmpty()) {
          out.writeShort(part.latest.size());
          for (Tile.Latest latest : part.latest) {
            out.writeLong(latest.eventMicros());
            out.writeLong(latest.createdMicros());
            writeValue(out, type, latest.value());
          }
        }
        if (sketch) {
          byte[] sketchBytes = part.sketch.toCompactByteArray();
          out.writeInt(sketchBytes.length);
          out.write(sketchBytes);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The {@code through} time of an encoded tile (its first 8 bytes). */
  public static long through(byte[] value) {
    return ByteBuffer.wrap(value, 0, Long.BYTES).getLong();
  }

  /** Decodes a tile for this layout. */
  public static Tile decode(TileLayout layout, byte[] value) {
    Tile tile = new Tile(layout);
    tile.readOnly = true;
    // A ByteBuffer, not a DataInputStream: its reads are plain array reads (a lookup decodes up
    // to longest window / H tiles per entity and view).
    ByteBuffer in = ByteBuffer.wrap(value);
    try {
      in.getLong();
      int version = Byte.toUnsignedInt(in.get());
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "Cannot decode tile: format version " + version + ", expected " + VERSION);
      }
      tile.rows = in.getLong();
      tile.newestEventMicros = in.getLong();
      int columns = Short.toUnsignedInt(in.getShort());
      for (int c = 0; c < columns; c++) {
        String name = readString(in);
        String typeName = readString(in);
        int index = layout.columns().indexOf(name);
        ValueType type =
            index >= 0 && layout.columnTypes().get(index).typeName().equals(typeName)
                ? layout.columnTypes().get(index)
                : ValueType.fromName(typeName)
                    .orElseThrow(
                        () -> new IllegalArgumentException("Cannot decode tile: bad type"));
        // A column the layout no longer reads, or reads with another type, is skipped.
        Tile.Part part =
            index >= 0 && layout.columnTypes().get(index) == type
                ? tile.parts[index]
                : new Tile.Part(type);
        part.count = in.getLong();
        int flags = Byte.toUnsignedInt(in.get());
        if ((flags & MOMENTS) != 0) {
          boolean integers = type == ValueType.INT32 || type == ValueType.INT64;
          long longSum = integers ? in.getLong() : 0L;
          double sum = integers ? 0.0 : in.getDouble();
          part.decoded(longSum, sum, in.getDouble());
        }
        if ((flags & MIN_MAX) != 0) {
          part.min = readValue(in, type);
          part.max = readValue(in, type);
        }
        if ((flags & LATEST) != 0) {
          int count = Short.toUnsignedInt(in.getShort());
          for (int i = 0; i < count; i++) {
            part.latest.add(new Tile.Latest(in.getLong(), in.getLong(), readValue(in, type)));
          }
        }
        if ((flags & SKETCH) != 0) {
          byte[] sketchBytes = new byte[in.getInt()];
          in.get(sketchBytes);
          // Wrapped, not copied onto the heap: a decoded tile is read-only, and a union reads a
          // wrapped compact sketch as it is.
          part.sketch = HllSketch.wrap(Memory.wrap(sketchBytes));
        }
      }
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("Cannot decode tile: truncated value", e);
    }
    return tile;
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(ByteBuffer in) {
    int length = in.getInt();
    String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return value;
  }

  private static void writeValue(DataOutputStream out, ValueType type, Object value)
      throws IOException {
    switch (type) {
      case INT32 -> out.writeInt((Integer) value);
      case INT64, TIMESTAMP -> out.writeLong((Long) value);
      case FLOAT32 -> out.writeFloat((Float) value);
      case FLOAT64 -> out.writeDouble((Double) value);
      case STRING -> writeString(out, (String) value);
      case BOOL -> out.writeBoolean((Boolean) value);
      default -> throw new IllegalArgumentException("Cannot encode a tile value of type " + type);
    }
  }

  private static Object readValue(ByteBuffer in, ValueType type) {
    return switch (type) {
      case INT32 -> in.getInt();
      case INT64, TIMESTAMP -> in.getLong();
      case FLOAT32 -> in.getFloat();
      case FLOAT64 -> in.getDouble();
      case STRING -> readString(in);
      case BOOL -> in.get() != 0;
      default -> throw new IllegalArgumentException("Cannot decode a tile value of type " + type);
    };
  }
}
