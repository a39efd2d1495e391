/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.online;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
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
  private final GenericDatumWriter<GenericRecord> writer;
  private final Map<Long, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
  private final ThreadLocal<ByteArrayOutputStream> buffers =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));
  private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();

  /** Creates the codec for the current definition of a view. */
  public OnlineValueCodec(String project, FeatureView view) {
    this.view = requireNonNull(view, "view is null");
    this.schema = FeatureViewSchemas.schemaOf(project, view);
    this.fingerprint = FeatureViewSchemas.fingerprint(schema);
    this.writer = new GenericDatumWriter<>(schema);
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
    GenericData.Record record = new GenericData.Record(schema);
    for (int i = 0; i < features.size(); i++) {
      Feature feature = features.get(i);
      record.put(i, toAvro(feature, feature.type(), featureValues.get(i)));
    }
    record.put(features.size(), eventMicros);

    ByteArrayOutputStream buffer = buffers.get();
    buffer.reset();
    ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
    header.put(FORMAT_VERSION);
    header.putLong(eventMicros ^ Long.MIN_VALUE);
    header.putLong(createdMicros.orElse(NO_CREATED_TIMESTAMP) ^ Long.MIN_VALUE);
    header.putLong(fingerprint);
    buffer.writeBytes(header.array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, encoders.get());
    encoders.set(encoder);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          "Cannot encode value of feature view '" + view.name() + "': " + e.getMessage(),
          e);
    }
    return buffer.toByteArray();
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
      throw new FeatureStoreException(
          ErrorCode.INTERNAL_ERROR,
          "Cannot decode value of feature view '" + view.name() + "': " + e.getMessage(),
          e);
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

  private Object toAvro(Feature feature, ValueType type, Object value) {
    if (value == null) {
      return null;
    }
    try {
      return switch (type) {
        case INT32 -> ((Number) value).intValue();
        case INT64 -> ((Number) value).longValue();
        case FLOAT32 -> ((Number) value).floatValue();
        case FLOAT64 -> ((Number) value).doubleValue();
        case STRING -> ((CharSequence) value).toString();
        case BOOL -> (Boolean) value;
        case BYTES -> value instanceof ByteBuffer b ? b : ByteBuffer.wrap((byte[]) value);
        case TIMESTAMP -> timestampMicros(value);
        case ARRAY_INT32, ARRAY_INT64, ARRAY_FLOAT32, ARRAY_FLOAT64, ARRAY_STRING -> {
          List<?> items = value instanceof Object[] array ? List.of(array) : (List<?>) value;
          ValueType elementType = type.elementType().orElseThrow();
          List<Object> converted = new ArrayList<>(items.size());
          for (Object item : items) {
            converted.add(toAvro(feature, elementType, item));
          }
          yield converted;
        }
      };
    } catch (ClassCastException e) {
      throw new FeatureStoreException(
          ErrorCode.INVALID_DATA,
          String.format(
              "Cannot encode feature '%s' of view '%s': expected %s, got %s",
              feature.name(), view.name(), feature.type(), value.getClass().getName()),
          e);
    }
  }

  private static long timestampMicros(Object value) {
    if (value instanceof Long micros) {
      return micros;
    }
    // java.sql.Timestamp overrides toInstant() with its nanoseconds.
    Instant instant = value instanceof Instant i ? i : ((java.util.Date) value).toInstant();
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
