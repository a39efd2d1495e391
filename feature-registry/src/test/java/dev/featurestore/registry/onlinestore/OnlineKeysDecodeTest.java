/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes of docs/online-store-layout.md, decoded back into join key values. */
class OnlineKeysDecodeTest {
  private static final JoinKey DRIVER = new JoinKey("driver_id", ValueType.INT64);
  private static final JoinKey CITY = new JoinKey("city", ValueType.STRING);

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  @Test
  void decodesTheDocumentedInt64Key() {
    assertThat(OnlineKeys.decodeEntityKey(List.of(DRIVER), hex("01 00 00 00 00 00 00 03 e9")))
        .containsExactly(1001L);
  }

  @Test
  void decodesAnEscapedClosingBrace() {
    // driver_id = 125 = 0x7D, written as 7E 01.
    assertThat(OnlineKeys.decodeEntityKey(List.of(DRIVER), hex("01 00 00 00 00 00 00 00 7e 01")))
        .containsExactly(125L);
    // 126 = 0x7E, written as 7E 02.
    assertThat(OnlineKeys.decodeEntityKey(List.of(DRIVER), hex("01 00 00 00 00 00 00 00 7e 02")))
        .containsExactly(126L);
  }

  @Test
  void decodesACompositeKeyOfAnIntegerAndAString() {
    // 7 then "a}b": 02, length 3, 61 7E01 62.
    byte[] golden = hex("01 00 00 00 00 00 00 00 07 02 03 61 7e 01 62");
    assertThat(OnlineKeys.entityKey(List.of(DRIVER, CITY), List.of(7L, "a}b"))).isEqualTo(golden);
    assertThat(OnlineKeys.decodeEntityKey(List.of(DRIVER, CITY), golden))
        .containsExactly(7L, "a}b");
  }

  @Test
  void decodesInt32AndBytesKeys() {
    JoinKey small = new JoinKey("shard", ValueType.INT32);
    JoinKey raw = new JoinKey("hash", ValueType.BYTES);
    byte[] golden = hex("01 ff ff ff ff ff ff ff fe 03 02 7e 02 00");
    assertThat(OnlineKeys.entityKey(List.of(small, raw), List.of(-2, new byte[] {0x7E, 0x00})))
        .isEqualTo(golden);
    List<Object> values = OnlineKeys.decodeEntityKey(List.of(small, raw), golden);
    assertThat(values.get(0)).isEqualTo(-2);
    assertThat((byte[]) values.get(1)).containsExactly(0x7E, 0x00);
  }

  @Test
  void decodesALongStringWithATwoByteLength() {
    String text = "x".repeat(200); // length 200 = LEB128 c8 01
    byte[] key = OnlineKeys.entityKey(List.of(CITY), List.of(text));
    assertThat(HexFormat.of().formatHex(key, 0, 3)).isEqualTo("02c801");
    assertThat(OnlineKeys.decodeEntityKey(List.of(CITY), key)).containsExactly(text);
  }

  @Test
  void findsTheEntityKeyOfAFullKeyOfTheView() {
    byte[] tag = OnlineKeys.viewTag("rides", "driver_hourly_stats");
    byte[] entity = OnlineKeys.entityKey(List.of(DRIVER), List.of(1001L));
    byte[] key = OnlineKeys.key(entity, tag);
    assertThat(OnlineKeys.entityKeyOf(key, tag)).isEqualTo(entity);
    assertThat(OnlineKeys.entityKeyOf(key, OnlineKeys.viewTag("rides", "other"))).isNull();
    assertThat(OnlineKeys.entityKeyOf(hex("7b7d"), tag)).isNull();
  }

  @Test
  void rejectsBytesThatAreNoEntityKeyOfTheJoinKeys() {
    assertThatThrownBy(() -> OnlineKeys.decodeEntityKey(List.of(DRIVER), hex("02 01 61")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot decode entity key 020161 as join keys [driver_id int64]: join key 'driver_id'"
                + " is no integer");
    assertThatThrownBy(
            () -> OnlineKeys.decodeEntityKey(List.of(DRIVER), hex("01 00 00 00 00 00 00 03 e9 00")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageEndingWith(": 1 bytes are left after the last join key");
    assertThatThrownBy(() -> OnlineKeys.decodeEntityKey(List.of(CITY), hex("02 05 61")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageEndingWith(": join key 'city' needs 5 bytes, 1 left");
    assertThatThrownBy(
            () ->
                OnlineKeys.decodeEntityKey(
                    List.of(new JoinKey("s", ValueType.INT32)), hex("01 00 00 00 01 00 00 00 00")))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageEndingWith(": int32 join key 's' is 4294967296");
  }
}
