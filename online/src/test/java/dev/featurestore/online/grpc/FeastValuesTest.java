/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.featurestore.feast.protocol.types.ValueProto.DoubleList;
import dev.featurestore.feast.protocol.types.ValueProto.FloatList;
import dev.featurestore.feast.protocol.types.ValueProto.Int32List;
import dev.featurestore.feast.protocol.types.ValueProto.Int64List;
import dev.featurestore.feast.protocol.types.ValueProto.RepeatedValue;
import dev.featurestore.feast.protocol.types.ValueProto.StringList;
import dev.featurestore.feast.protocol.types.ValueProto.Value;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeastValuesTest {
  @Test
  void encodesEveryFeatureTypeAsFeastsValueField() {
    assertThat(FeastValues.value(ValueType.INT32, 7)).isEqualTo(value().setInt32Val(7).build());
    assertThat(FeastValues.value(ValueType.INT64, 42L)).isEqualTo(value().setInt64Val(42).build());
    assertThat(FeastValues.value(ValueType.FLOAT32, 0.25f))
        .isEqualTo(value().setFloatVal(0.25f).build());
    assertThat(FeastValues.value(ValueType.FLOAT64, Double.NaN))
        .isEqualTo(value().setDoubleVal(Double.NaN).build());
    assertThat(FeastValues.value(ValueType.STRING, "Paris"))
        .isEqualTo(value().setStringVal("Paris").build());
    assertThat(FeastValues.value(ValueType.BOOL, true)).isEqualTo(value().setBoolVal(true).build());
    assertThat(FeastValues.value(ValueType.BYTES, new byte[] {1, 2}))
        .isEqualTo(value().setBytesVal(ByteString.copyFrom(new byte[] {1, 2})).build());
    // 2024-01-02T03:04:05.678901Z in microseconds: whole seconds, rounded down.
    assertThat(FeastValues.value(ValueType.TIMESTAMP, 1_704_164_645_678_901L))
        .isEqualTo(value().setUnixTimestampVal(1_704_164_645L).build());
    assertThat(FeastValues.value(ValueType.TIMESTAMP, -1L))
        .isEqualTo(value().setUnixTimestampVal(-1L).build());
  }

  @Test
  void encodesArraysWithNullElementsAsZeroValuesAndNullAsAnUnsetValue() {
    assertThat(FeastValues.value(ValueType.ARRAY_INT32, Arrays.asList(1, null)))
        .isEqualTo(value().setInt32ListVal(Int32List.newBuilder().addVal(1).addVal(0)).build());
    assertThat(FeastValues.value(ValueType.ARRAY_INT64, List.of(3L)))
        .isEqualTo(value().setInt64ListVal(Int64List.newBuilder().addVal(3L)).build());
    assertThat(FeastValues.value(ValueType.ARRAY_FLOAT32, List.of(1.5f)))
        .isEqualTo(value().setFloatListVal(FloatList.newBuilder().addVal(1.5f)).build());
    assertThat(FeastValues.value(ValueType.ARRAY_FLOAT64, Arrays.asList(null, 2.0)))
        .isEqualTo(
            value().setDoubleListVal(DoubleList.newBuilder().addVal(0.0).addVal(2.0)).build());
    assertThat(FeastValues.value(ValueType.ARRAY_STRING, Arrays.asList("a", null)))
        .isEqualTo(
            value().setStringListVal(StringList.newBuilder().addVal("a").addVal("")).build());
    assertThat(FeastValues.value(ValueType.STRING, null)).isEqualTo(Value.getDefaultInstance());
  }

  @Test
  void readsEntitiesAsRestsJsonWouldCarryThem() {
    Map<String, RepeatedValue> columns = new LinkedHashMap<>();
    columns.put(
        "driver_id",
        RepeatedValue.newBuilder()
            .addVal(value().setInt64Val(1001))
            .addVal(value().setInt32Val(5))
            .addVal(Value.getDefaultInstance())
            .addVal(value().setDoubleVal(1.5))
            .build());
    columns.put(
        "blob",
        RepeatedValue.newBuilder()
            .addVal(value().setBytesVal(ByteString.copyFrom(new byte[] {(byte) 0xff})))
            .addVal(value().setStringVal("x"))
            .addVal(value().setBoolVal(true))
            .addVal(value().setInt64ListVal(Int64List.newBuilder().addVal(1)))
            .build());

    Map<String, List<Object>> entities = FeastValues.entities(columns);

    assertThat(entities.keySet()).containsExactly("driver_id", "blob");
    assertThat(entities.get("driver_id")).containsExactly(1001L, 5, null, 1.5);
    assertThat(entities.get("blob")).containsExactly("/w==", "x", true, List.of());
  }

  @Test
  void refusesATimestampAsAJoinKeyNamingColumnAndRow() {
    Map<String, RepeatedValue> columns =
        Map.of(
            "driver_id",
            RepeatedValue.newBuilder()
                .addVal(value().setInt64Val(1))
                .addVal(value().setUnixTimestampVal(1_700_000_000L))
                .build());

    assertThatThrownBy(() -> FeastValues.entities(columns))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot get online features: join key 'driver_id' has a unix_timestamp_val at row 1;"
                + " join keys take int64_val, int32_val, string_val or bytes_val");
  }

  @Test
  void echoesTheRequestsJoinKeyValuesAndConvertsTimestamps() {
    RepeatedValue ids = RepeatedValue.newBuilder().addVal(value().setInt64Val(1001)).build();

    assertThat(FeastValues.encoding(Map.of("driver_id", ids)).joinKey("driver_id", List.of(1001L)))
        .containsExactly(value().setInt64Val(1001).build());
    assertThat(FeastValues.timestamp("1970-01-01T00:00:00Z"))
        .isEqualTo(Timestamp.getDefaultInstance());
    assertThat(FeastValues.timestamp("2024-01-02T03:04:05.678Z"))
        .isEqualTo(Timestamp.newBuilder().setSeconds(1_704_164_645L).setNanos(678_000_000).build());
  }

  private static Value.Builder value() {
    return Value.newBuilder();
  }
}
