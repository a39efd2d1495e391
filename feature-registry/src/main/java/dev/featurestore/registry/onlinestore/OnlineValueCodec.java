/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Encodes and decodes online-store values of one feature view.
 *
 * <p>A value is a fixed 25-byte header followed by the Avro binary encoding of the view's record
 * ({@link FeatureViewSchemas#schemaOf}):
 *
 * <pre>
 *   byte  0      format version (1)
 *   bytes 1-8    event timestamp, microseconds since the epoch, sign bit flipped, big-endian
 *   bytes 9-16   created timestamp, same encoding; all zero bytes when absent
 *   bytes 17-24  Avro parsing fingerprint of the writer schema, big-endian
 *   bytes 25-    Avro binary record
 * </pre>
 *
 * <p>Flipping the sign bit makes bytes 1-16 compare, as unsigned bytes, in the order (event
 * timestamp, created timestamp): the newer-wins check in Redis compares them without decoding.
 * Decoding resolves a value written under an older schema (found by its fingerprint) against the
 * view's current schema, so added features read as null.
 *
 * <p>Instances are thread-safe.
 */
public final class OnlineValueCodec {
  /** The current format version (byte 0). */
  public static final byte FORMAT_VERSION = 1;

  /** The header length in bytes. */
  public static final int HEADER_LENGTH = 25;

  private static final long NO_CREATED_TIMESTAMP = Long.MIN_VALUE;

  private final FeatureView view;
  private final Schema schema;
  private final long fingerprint;
  private final ValueType[] types;
  private final Map<Long, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
  private final ThreadLocal<ByteArrayOutputStream> buffers =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));
  private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();

  /** Creates the codec for the current definition of a view. */
  public OnlineValueCodec(String project, FeatureView view) {
    this.view = requireNonNull(view, "view is null");
    this.schema = FeatureViewSchemas.schemaOf(project, view);
    this.fingerprint = FeatureViewSchemas.fingerprint(schema);
    this.types = view.features().stream().map(Feature::type).toArray(ValueType[]::new);
    readers.put(fingerprint, new GenericDatumReader<>(schema));
  }

  /** The view's current value schema. */
  public Schema schema() {
    return schema;
  }

  /** The fingerprint of {@link #schema()}. */
  public long fingerprint() {
    return fingerprint;
  }

  /**
   * Feature values read by position (the view's feature order) without boxing, e.g. straight from a
   * Spark row. Only the getter of each feature's type is called, and only when {@link #isNull} is
   * false: int32 {@link #getInt}, int64 {@link #getLong}, float32 {@link #getFloat}, float64 {@link
   * #getDouble}, string {@link #getUtf8} (UTF-8 bytes), bool {@link #getBoolean}, bytes {@link
   * #getBytes}, timestamp {@link #getTimestampMicros}, arrays {@link #getList} (elements as for
   * {@link #encode(List, long, OptionalLong)}).
   *
   * <p>An implementation reports a value that does not fit its feature (bad data) as a {@link
   * FeatureStoreException} (INVALID_DATA); anything else it throws is taken for a bug in the
   * implementation (INTERNAL_ERROR).
   */
  public interface FeatureValues {
    boolean isNull(int feature);

    default int getInt(int feature) {
      throw new UnsupportedOperationException();
    }

    default long getLong(int feature) {
      throw new UnsupportedOperationException();
    }

    default float getFloat(int feature) {
      throw new UnsupportedOperationException();
    }

    default double getDouble(int feature) {
      throw new UnsupportedOperationException();
    }

    default byte[] getUtf8(int feature) {
      throw new UnsupportedOperationException();
    }

    default boolean getBoolean(int feature) {
      throw new UnsupportedOperationException();
    }

    default byte[] getBytes(int feature) {
      throw new UnsupportedOperationException();
    }

    default long getTimestampMicros(int feature) {
      throw new UnsupportedOperationException();
    }

    default List<?> getList(int feature) {
      throw new UnsupportedOperationException();
    }
  }

  /**
   * Encodes feature values (in the view's feature order; nulls allowed) with their timestamps.
   *
   * <p>Java types: int32 {@link Integer}, int64 {@link Long}, float32 {@link Float}, float64 {@link
   * Double} (any {@link Number} is converted), string {@link CharSequence}, bool {@link Boolean},
   * bytes {@code byte[]} or {@link ByteBuffer}, timestamp {@link Instant}, {@link
   * java.util.Date}/{@code java.sql.Timestamp} or {@link Long} microseconds, arrays a {@link List}
   * or an {@code Object[]}.
   *
   * @throws FeatureStoreException INVALID_DATA naming the feature when a value has the wrong type
   */
  public byte[] encode(List<?> featureValues, long eventMicros, OptionalLong createdMicros) {
    List<Feature> features = view.features();
    if (featureValues.size() != features.size()) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot encode value of feature view '%s': %d features but %d values",
          view.name(),
          features.size(),
          featureValues.size());
    }
    return encode(new ListValues(featureValues), eventMicros, createdMicros);
  }

  /**
   * Encodes feature values read by position; the one encoder behind {@link #encode(List, long,
   * OptionalLong)}. Writes the Avro binary encoding of the view's record directly (each feature a
   * {@code ["null", T]} union, then {@code __event_timestamp}), with a reused encoder and buffer.
   *
   * @throws FeatureStoreException INVALID_DATA naming the feature when a value has the wrong type
   *     or is out of range; INTERNAL_ERROR naming the feature when {@code values} fails otherwise
   *     (a bug in the adapter)
   */
  public byte[] encode(FeatureValues values, long eventMicros, OptionalLong createdMicros) {
    ByteArrayOutputStream buffer = buffers.get();
    buffer.reset();
    byte[] header = new byte[HEADER_LENGTH];
    header[0] = FORMAT_VERSION;
    putLong(header, 1, eventMicros ^ Long.MIN_VALUE);
    putLong(header, 9, createdMicros.orElse(NO_CREATED_TIMESTAMP) ^ Long.MIN_VALUE);
    putLong(header, 17, fingerprint);
    buffer.writeBytes(header);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, encoders.get());
    encoders.set(encoder);
    List<Feature> features = view.features();
    int i = 0;
    try {
      for (; i < types.length; i++) {
        if (values.isNull(i)) {
          encoder.writeIndex(0);
          continue;
        }
        encoder.writeIndex(1);
        switch (types[i]) {
          case INT32 -> encoder.writeInt(values.getInt(i));
          case INT64 -> encoder.writeLong(values.getLong(i));
          case FLOAT32 -> encoder.writeFloat(values.getFloat(i));
          case FLOAT64 -> encoder.writeDouble(values.getDouble(i));
          case STRING -> encoder.writeBytes(values.getUtf8(i));
          case BOOL -> encoder.writeBoolean(values.getBoolean(i));
          case BYTES -> encoder.writeBytes(values.getBytes(i));
          case TIMESTAMP -> encoder.writeLong(values.getTimestampMicros(i));
          default -> writeArray(encoder, features.get(i), types[i], values.getList(i));
        }
      }
      encoder.writeLong(eventMicros);
      encoder.flush();
    } catch (FeatureStoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Bad data arrives as a FeatureStoreException (wrongType): this is the adapter or the
      // encoder failing, e.g. a getter the adapter does not implement.
      if (i >= features.size()) {
        throw FeatureStoreException.of(
            ErrorCode.INTERNAL_ERROR,
            e,
            "Cannot encode value of feature view '%s': %s",
            view.name(),
            e);
      }
      Feature feature = features.get(i);
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          e,
          "Cannot encode feature '%s' of view '%s': reading its %s value failed (%s)",
          feature.name(),
          view.name(),
          feature.type(),
          e);
    }
    return buffer.toByteArray();
  }

  private void writeArray(Encoder encoder, Feature feature, ValueType type, List<?> items)
      throws IOException {
    ValueType elementType = type.elementType().orElseThrow();
    encoder.writeArrayStart();
    encoder.setItemCount(items.size());
    for (Object item : items) {
      encoder.startItem();
      if (item == null) {
        encoder.writeIndex(0);
        continue;
      }
      encoder.writeIndex(1);
      writeScalar(encoder, feature, elementType, item);
    }
    encoder.writeArrayEnd();
  }

  /** Writes one boxed array element. */
  private void writeScalar(Encoder encoder, Feature feature, ValueType type, Object value)
      throws IOException {
    if (!(type == ValueType.STRING ? value instanceof CharSequence : value instanceof Number)) {
      throw wrongType(feature, value);
    }
    switch (type) {
      case INT32 -> encoder.writeInt(((Number) value).intValue());
      case INT64 -> encoder.writeLong(((Number) value).longValue());
      case FLOAT32 -> encoder.writeFloat(((Number) value).floatValue());
      case FLOAT64 -> encoder.writeDouble(((Number) value).doubleValue());
      case STRING -> encoder.writeString(value.toString());
      default ->
          throw FeatureStoreException.of(
              ErrorCode.INTERNAL_ERROR,
              "Cannot encode feature '%s': no array element type %s",
              feature.name(),
              type);
    }
  }

  /** A value of the wrong Java type for its feature: bad data. */
  private FeatureStoreException wrongType(Feature feature, Object value) {
    return FeatureStoreException.of(
        ErrorCode.INVALID_DATA,
        "Cannot encode feature '%s' of view '%s': expected %s, got %s",
        feature.name(),
        view.name(),
        feature.type(),
        value.getClass().getName());
  }

  private static void putLong(byte[] bytes, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      bytes[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  /** The boxed List form of {@link FeatureValues}, with the documented Java type conversions. */
  private final class ListValues implements FeatureValues {
    private final List<?> values;

    ListValues(List<?> values) {
      this.values = values;
    }

    @Override
    public boolean isNull(int feature) {
      return values.get(feature) == null;
    }

    @Override
    public int getInt(int feature) {
      return number(feature).intValue();
    }

    @Override
    public long getLong(int feature) {
      return number(feature).longValue();
    }

    @Override
    public float getFloat(int feature) {
      return number(feature).floatValue();
    }

    @Override
    public double getDouble(int feature) {
      return number(feature).doubleValue();
    }

    @Override
    public byte[] getUtf8(int feature) {
      return cast(feature, CharSequence.class).toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean getBoolean(int feature) {
      return cast(feature, Boolean.class);
    }

    @Override
    public byte[] getBytes(int feature) {
      Object value = values.get(feature);
      if (value instanceof ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
      }
      return cast(feature, byte[].class);
    }

    @Override
    public long getTimestampMicros(int feature) {
      Object value = values.get(feature);
      if (!(value instanceof Long || value instanceof Instant || value instanceof Date)) {
        throw wrongType(view.features().get(feature), value);
      }
      try {
        return timestampMicros(value);
      } catch (ArithmeticException e) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_DATA,
            e,
            "Cannot encode feature '%s' of view '%s': timestamp %s is beyond the range of"
                + " microseconds since the epoch",
            view.features().get(feature).name(),
            view.name(),
            value);
      }
    }

    @Override
    public List<?> getList(int feature) {
      Object value = values.get(feature);
      if (value instanceof Object[] array) {
        return Arrays.asList(array);
      }
      return cast(feature, List.class);
    }

    private Number number(int feature) {
      return cast(feature, Number.class);
    }

    private <T> T cast(int feature, Class<T> type) {
      Object value = values.get(feature);
      if (!type.isInstance(value)) {
        throw wrongType(view.features().get(feature), value);
      }
      return type.cast(value);
    }
  }

  /**
   * Decodes a stored value into the view's current feature order.
   *
   * @param writerSchemas finds an older writer schema by fingerprint (e.g. {@code
   *     registry::schema}); called only for values not written with the current schema
   * @throws FeatureStoreException INTERNAL_ERROR for a corrupt value or an unknown fingerprint
   */
  public DecodedValue decode(byte[] value, LongFunction<Optional<Schema>> writerSchemas) {
    checkHeader(value);
    long writerFingerprint = fingerprint(value);
    GenericDatumReader<GenericRecord> reader =
        readers.computeIfAbsent(
            writerFingerprint,
            fp ->
                new GenericDatumReader<>(
                    writerSchemas
                        .apply(fp)
                        .orElseThrow(
                            () ->
                                FeatureStoreException.of(
                                    ErrorCode.INTERNAL_ERROR,
                                    "Cannot decode value of feature view '%s': unknown schema"
                                        + " fingerprint %016x (not in the registry)",
                                    view.name(),
                                    fp)),
                    schema));
    GenericRecord record;
    try {
      record =
          reader.read(
              null,
              DecoderFactory.get()
                  .binaryDecoder(value, HEADER_LENGTH, value.length - HEADER_LENGTH, null));
    } catch (IOException | RuntimeException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          e,
          "Cannot decode value of feature view '%s': %s",
          view.name(),
          e.getMessage());
    }
    List<Object> values = new ArrayList<>(view.features().size());
    for (Feature feature : view.features()) {
      values.add(fromAvro(record.get(feature.name())));
    }
    long created = createdMicros(value);
    return new DecodedValue(
        eventMicros(value),
        created == NO_CREATED_TIMESTAMP ? OptionalLong.empty() : OptionalLong.of(created),
        values);
  }

  /** Reads the event timestamp (microseconds) from a value's header. */
  public static long eventMicros(byte[] value) {
    checkHeader(value);
    return ByteBuffer.wrap(value, 1, 8).getLong() ^ Long.MIN_VALUE;
  }

  /** Reads the created timestamp (microseconds, {@link Long#MIN_VALUE} when absent). */
  public static long createdMicros(byte[] value) {
    checkHeader(value);
    return ByteBuffer.wrap(value, 9, 8).getLong() ^ Long.MIN_VALUE;
  }

  /** Reads the writer schema fingerprint from a value's header. */
  public static long fingerprint(byte[] value) {
    checkHeader(value);
    return ByteBuffer.wrap(value, 17, 8).getLong();
  }

  private static void checkHeader(byte[] value) {
    if (value == null || value.length < HEADER_LENGTH || value[0] != FORMAT_VERSION) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR,
          "Cannot decode online value: not a format-%d value (%s bytes)",
          FORMAT_VERSION,
          value == null ? "null" : String.valueOf(value.length));
    }
  }

  private static long timestampMicros(Object value) {
    if (value instanceof Long micros) {
      return micros;
    }
    // java.sql.Timestamp overrides toInstant() with its nanoseconds.
    Instant instant = value instanceof Instant i ? i : ((Date) value).toInstant();
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  private static Object fromAvro(Object value) {
    if (value instanceof Utf8 utf8) {
      return utf8.toString();
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      for (Object item : list) {
        items.add(fromAvro(item));
      }
      return Collections.unmodifiableList(items);
    }
    return value;
  }

  /**
   * A decoded value.
   *
   * @param eventMicros the event timestamp in microseconds since the epoch
   * @param createdMicros the created timestamp, when the source has one
   * @param values the feature values in the view's current feature order (null where absent);
   *     timestamps as {@link Long} microseconds, bytes as {@code byte[]}, arrays as {@link List}
   */
  public record DecodedValue(long eventMicros, OptionalLong createdMicros, List<Object> values) {
    public DecodedValue {
      requireNonNull(createdMicros, "createdMicros is null");
      values = Collections.unmodifiableList(new ArrayList<>(values));
    }
  }
}
