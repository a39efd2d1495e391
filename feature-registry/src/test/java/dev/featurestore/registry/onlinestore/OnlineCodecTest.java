/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class OnlineCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static FeatureView view(List<Feature> features) {
    return new FeatureView(
        "driver_stats",
        List.of("driver"),
        "driver_stats_src",
        Duration.ofHours(2),
        true,
        features,
        Map.of(),
        "");
  }

  private static final FeatureView DRIVER_STATS =
      view(
          List.of(
              Feature.of("conv_rate", ValueType.FLOAT64),
              Feature.of("trips_today", ValueType.INT64)));

  @Test
  void encodesIntegerKeysAsGoldenBytes() {
    byte[] key =
        OnlineKeys.key(
            "rides",
            "driver_stats",
            List.of(new JoinKey("driver_id", ValueType.INT64)),
            List.of(1001L));
    byte[] tag = OnlineKeys.viewTag("rides", "driver_stats");
    // '{' 0x01 00..03e9 '}' tag
    assertThat(HEX.formatHex(key)).isEqualTo("7b0100000000000003e97d" + HEX.formatHex(tag));
    assertThat(tag).hasSize(4);
  }

  @Test
  void encodesCompositeStringAndIntegerKeysAsGoldenBytes() {
    List<JoinKey> keys =
        List.of(new JoinKey("city", ValueType.STRING), new JoinKey("zone", ValueType.INT32));
    assertThat(HEX.formatHex(OnlineKeys.entityKey(keys, List.of("ab", 7))))
        .isEqualTo("0202616201" + "0000000000000007");
  }

  @Test
  void escapesClosingBracesSoTheHashTagCoversTheWholeEntityKey() {
    List<JoinKey> keys =
        List.of(new JoinKey("driver_id", ValueType.INT64), new JoinKey("city", ValueType.STRING));
    // 125 = 0x7D ('}'), 126 = 0x7E ('~'); "}" in a string as well.
    assertThat(HEX.formatHex(OnlineKeys.entityKey(keys, List.of(0x7D7EL, "}"))))
        .isEqualTo("01000000000000" + "7e01" + "7e02" + "0201" + "7e01");
    byte[] key = OnlineKeys.key(OnlineKeys.entityKey(keys, List.of(0x7D7EL, "}")), new byte[4]);
    // The first '}' in the key is the one that closes the hash tag.
    int close = new String(key, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('}');
    assertThat(close).isEqualTo(key.length - 5);
    // Escaping stays injective: values that differ only around the escape byte stay distinct.
    assertThat(OnlineKeys.entityKey(keys, List.of(0x7E01L, "a")))
        .isNotEqualTo(OnlineKeys.entityKey(keys, List.of(0x7DL, "a")));
  }

  @Test
  void encodesInt32AndInt64KeyValuesTheSame() {
    List<JoinKey> int32 = List.of(new JoinKey("id", ValueType.INT32));
    List<JoinKey> int64 = List.of(new JoinKey("id", ValueType.INT64));
    assertThat(OnlineKeys.entityKey(int32, List.of(5)))
        .isEqualTo(OnlineKeys.entityKey(int64, List.of(5L)));
  }

  @Test
  void rejectsNullAndWronglyTypedKeyValues() {
    List<JoinKey> keys = List.of(new JoinKey("driver_id", ValueType.INT64));
    assertThatThrownBy(() -> OnlineKeys.entityKey(keys, Arrays.asList((Object) null)))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("Cannot encode entity key: 'driver_id' is null");
    assertThatThrownBy(() -> OnlineKeys.entityKey(keys, List.of("1001")))
        .hasMessage("Cannot encode entity key: 'driver_id' must be int64, got String");
  }

  @Test
  void viewTagsDifferByProjectAndView() {
    assertThat(OnlineKeys.viewTag("rides", "a")).isNotEqualTo(OnlineKeys.viewTag("rides", "b"));
    assertThat(OnlineKeys.viewTag("rides", "a")).isNotEqualTo(OnlineKeys.viewTag("food", "a"));
  }

  @Test
  void encodesValuesAsGoldenBytes() {
    OnlineValueCodec codec = new OnlineValueCodec("rides", DRIVER_STATS);
    byte[] value = codec.encode(Arrays.asList(0.5, null), 1_000_000L, OptionalLong.of(2_000_000L));
    String fingerprint = String.format("%016x", codec.fingerprint());
    assertThat(HEX.formatHex(value))
        .isEqualTo(
            "01"
                + "80000000000f4240" // event 1,000,000 µs with the sign bit flipped
                + "80000000001e8480" // created 2,000,000 µs
                + fingerprint
                + "02000000000000e03f" // conv_rate: union branch 1, double 0.5 little-endian
                + "00" // trips_today: union branch 0 (null)
                + "80897a"); // __event_timestamp: zig-zag varint of 1,000,000
    assertThat(codec.fingerprint()).isEqualTo(FeatureViewSchemas.fingerprint(codec.schema()));
  }

  @Test
  void roundTripsEveryType() {
    List<Feature> features = new ArrayList<>();
    for (ValueType type : ValueType.values()) {
      features.add(Feature.of("f_" + type.name().toLowerCase(), type));
    }
    FeatureView view = view(features);
    OnlineValueCodec codec = new OnlineValueCodec("rides", view);
    List<Object> values =
        Arrays.asList(
            7,
            8L,
            1.5f,
            2.5,
            "héllo",
            true,
            new byte[] {1, 2},
            Instant.parse("2026-11-22T07:00:00.123456Z"),
            List.of(1, 2),
            List.of(3L),
            Arrays.asList(0.25f, null),
            List.of(1.0, 2.0),
            List.of("a", "b"));
    OnlineValueCodec.DecodedValue decoded =
        codec.decode(codec.encode(values, -5L, OptionalLong.empty()), fp -> Optional.empty());
    assertThat(decoded.eventMicros()).isEqualTo(-5L);
    assertThat(decoded.createdMicros()).isEmpty();
    assertThat(decoded.values().subList(0, 6)).containsExactly(7, 8L, 1.5f, 2.5, "héllo", true);
    assertThat((byte[]) decoded.values().get(6)).containsExactly(1, 2);
    // python3: datetime(2026, 11, 22, 7, tzinfo=timezone.utc).timestamp() * 1e6 + 123456
    assertThat(decoded.values().get(7)).isEqualTo(1795330800123456L);
    assertThat(decoded.values().subList(8, 13))
        .containsExactly(
            List.of(1, 2),
            List.of(3L),
            Arrays.asList(0.25f, null),
            List.of(1.0, 2.0),
            List.of("a", "b"));
  }

  @Test
  void writesTheSameBytesAsAvrosGenericDatumWriterForEveryType() throws Exception {
    List<Feature> features = new ArrayList<>();
    for (ValueType type : ValueType.values()) {
      features.add(Feature.of("f_" + type.name().toLowerCase(), type));
    }
    OnlineValueCodec codec = new OnlineValueCodec("rides", view(features));
    List<Object> values =
        Arrays.asList(
            -7,
            Long.MIN_VALUE,
            Float.NaN,
            -0.0,
            "héllo",
            false,
            new byte[0],
            1795330800123456L,
            List.of(),
            Arrays.asList(3L, null, -1L),
            Arrays.asList(0.25f, null),
            List.of(1.0, 2.0),
            List.of("a", ""));
    List<Object> nulls = Arrays.asList(new Object[features.size()]);
    for (List<Object> row : List.of(values, nulls)) {
      // The reference: the same record written by Avro's generic writer.
      org.apache.avro.generic.GenericData.Record record =
          new org.apache.avro.generic.GenericData.Record(codec.schema());
      for (int i = 0; i < row.size(); i++) {
        Object v = row.get(i);
        record.put(i, v instanceof byte[] b ? java.nio.ByteBuffer.wrap(b) : v);
      }
      record.put(row.size(), 42L);
      java.io.ByteArrayOutputStream avro = new java.io.ByteArrayOutputStream();
      org.apache.avro.io.BinaryEncoder encoder =
          org.apache.avro.io.EncoderFactory.get().binaryEncoder(avro, null);
      new org.apache.avro.generic.GenericDatumWriter<>(codec.schema()).write(record, encoder);
      encoder.flush();

      byte[] value = codec.encode(row, 42L, OptionalLong.of(43L));
      assertThat(HEX.formatHex(Arrays.copyOfRange(value, 25, value.length)))
          .isEqualTo(HEX.formatHex(avro.toByteArray()));
    }
  }

  @Test
  void readsOldValuesAfterAFeatureIsAdded() {
    OnlineValueCodec oldCodec = new OnlineValueCodec("rides", DRIVER_STATS);
    byte[] old = oldCodec.encode(List.of(0.5, 3L), 10L, OptionalLong.empty());
    FeatureView evolved =
        view(
            List.of(
                Feature.of("conv_rate", ValueType.FLOAT64),
                Feature.of("acc_rate", ValueType.FLOAT32),
                Feature.of("trips_today", ValueType.INT64)));
    OnlineValueCodec newCodec = new OnlineValueCodec("rides", evolved);
    Map<Long, Schema> registry = Map.of(oldCodec.fingerprint(), oldCodec.schema());
    OnlineValueCodec.DecodedValue decoded =
        newCodec.decode(old, fp -> Optional.ofNullable(registry.get(fp)));
    assertThat(decoded.values()).containsExactly(0.5, null, 3L);
    assertThat(decoded.eventMicros()).isEqualTo(10L);
  }

  @Test
  void failsClearlyOnUnknownSchemaOrCorruptValue() {
    OnlineValueCodec oldCodec = new OnlineValueCodec("rides", DRIVER_STATS);
    byte[] old = oldCodec.encode(List.of(0.5, 3L), 10L, OptionalLong.empty());
    OnlineValueCodec other =
        new OnlineValueCodec("rides", view(List.of(Feature.of("conv_rate", ValueType.FLOAT64))));
    assertThatThrownBy(() -> other.decode(old, fp -> Optional.empty()))
        .hasMessage(
            "Cannot decode value of feature view 'driver_stats': unknown schema fingerprint %016x (not in the registry)",
            oldCodec.fingerprint());
    assertThatThrownBy(() -> other.decode(new byte[] {1, 2}, fp -> Optional.empty()))
        .hasMessage("Cannot decode online value: not a format-1 value (2 bytes)");
  }

  @Test
  void rejectsWronglyTypedFeatureValues() {
    OnlineValueCodec codec = new OnlineValueCodec("rides", DRIVER_STATS);
    assertThatThrownBy(() -> codec.encode(List.of("x", 1L), 0L, OptionalLong.empty()))
        .hasMessage(
            "Cannot encode feature 'conv_rate' of view 'driver_stats': expected float64, got java.lang.String")
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_DATA));
  }

  @Test
  void rejectsWronglyTypedArrayElementsAndOutOfRangeTimestampsAsBadData() {
    OnlineValueCodec codec =
        new OnlineValueCodec(
            "rides",
            view(
                List.of(
                    Feature.of("embedding", ValueType.ARRAY_FLOAT32),
                    Feature.of("seen_at", ValueType.TIMESTAMP))));
    assertThatThrownBy(
            () -> codec.encode(List.of(List.of(1.0f, "x"), 0L), 0L, OptionalLong.empty()))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_DATA))
        .hasMessage(
            "Cannot encode feature 'embedding' of view 'driver_stats': expected array<float32>,"
                + " got java.lang.String");
    assertThatThrownBy(
            () -> codec.encode(List.of(List.of(), Instant.MAX), 0L, OptionalLong.empty()))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_DATA))
        .hasMessage(
            "Cannot encode feature 'seen_at' of view 'driver_stats': timestamp"
                + " +1000000000-12-31T23:59:59.999999999Z is beyond the range of microseconds since"
                + " the epoch");
  }

  @Test
  void reportsAFailingValuesAdapterAsAnInternalError() {
    OnlineValueCodec codec = new OnlineValueCodec("rides", DRIVER_STATS);
    OnlineValueCodec.FeatureValues withoutGetDouble = feature -> false;
    assertThatThrownBy(() -> codec.encode(withoutGetDouble, 0L, OptionalLong.empty()))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR))
        .hasMessage(
            "Cannot encode feature 'conv_rate' of view 'driver_stats': reading its float64 value"
                + " failed (java.lang.UnsupportedOperationException)");
    OnlineValueCodec.FeatureValues castingWrongly =
        new OnlineValueCodec.FeatureValues() {
          @Override
          public boolean isNull(int feature) {
            return feature == 0;
          }

          @Override
          public long getLong(int feature) {
            Object value = "3";
            return (Long) value;
          }
        };
    assertThatThrownBy(() -> codec.encode(castingWrongly, 0L, OptionalLong.empty()))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR))
        .hasMessageStartingWith(
            "Cannot encode feature 'trips_today' of view 'driver_stats': reading its int64 value"
                + " failed (java.lang.ClassCastException: ")
        .hasCauseInstanceOf(ClassCastException.class);
  }

  @Test
  void headerBytesOrderLikeEventThenCreatedTimestamps() {
    OnlineValueCodec codec = new OnlineValueCodec("rides", DRIVER_STATS);
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      long e1 = random.nextInt(5) - 2L + (random.nextBoolean() ? Long.MIN_VALUE / 2 : 0);
      long e2 = random.nextInt(5) - 2L;
      OptionalLong c1 =
          random.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(random.nextInt(3) - 1L);
      OptionalLong c2 =
          random.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(random.nextInt(3) - 1L);
      byte[] a = codec.encode(List.of(1.0, 1L), e1, c1);
      byte[] b = codec.encode(List.of(1.0, 1L), e2, c2);
      int expected =
          e1 != e2
              ? Long.compare(e1, e2)
              : Long.compare(c1.orElse(Long.MIN_VALUE), c2.orElse(Long.MIN_VALUE));
      int actual = Arrays.compareUnsigned(a, 1, 17, b, 1, 17);
      assertThat(Integer.signum(actual))
          .as("%d/%s vs %d/%s", e1, c1, e2, c2)
          .isEqualTo(Integer.signum(expected));
    }
  }

  @Test
  void expiresPerViewAfterTtlPlusGrace() {
    long event = Instant.parse("2026-11-22T07:00:00Z").toEpochMilli() * 1000;
    assertThat(OnlineExpiry.expireAtMillis(DRIVER_STATS, event, Duration.ofHours(2)))
        .hasValue(Instant.parse("2026-11-22T11:00:00Z").toEpochMilli());
    assertThat(OnlineExpiry.isServed(DRIVER_STATS, event, event + 7_200_000_000L)).isTrue();
    assertThat(OnlineExpiry.isServed(DRIVER_STATS, event, event + 7_200_000_001L)).isFalse();
    FeatureView noTtl =
        new FeatureView("v", List.of("driver"), "s", Duration.ZERO, true, List.of(), Map.of(), "");
    assertThat(OnlineExpiry.expireAtMillis(noTtl, event, Duration.ZERO)).isEmpty();
    assertThat(OnlineExpiry.isServed(noTtl, 0, Long.MAX_VALUE)).isTrue();
  }
}
