/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import static dev.featurestore.registry.testing.TestDefinitions.entity;
import static dev.featurestore.registry.testing.TestDefinitions.feature;
import static dev.featurestore.registry.testing.TestDefinitions.key;
import static dev.featurestore.registry.testing.TestDefinitions.source;
import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.testing.InMemoryOnlineStore;
import dev.featurestore.online.testing.InMemoryRegistry;
import dev.featurestore.online.testing.OnlineTestStore;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.ServingDefinitions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OnlineFeatureServiceTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String PROJECT = "rides";

  private final InMemoryRegistry registry = new InMemoryRegistry();
  private final InMemoryOnlineStore store = new InMemoryOnlineStore();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void finishesAnInFlightRequestOnTheVersionItStartedWith() {
    Definitions v1 = ServingDefinitions.definitions(PROJECT);
    registry.apply(v1);
    put(v1, 1001L, NOW.minus(Duration.ofMinutes(10)));
    RegistryWatcher watcher = new RegistryWatcher(PROJECT, registry, Duration.ofHours(1));
    OnlineFeatureService service = service(watcher);
    GetOnlineFeaturesRequest request =
        new GetOnlineFeaturesRequest(
            List.of("driver_stats:trips"), null, Map.of("driver_id", List.of(1001)), false);

    CompletableFuture<Void> gate = store.hold();
    CompletableFuture<GetOnlineFeaturesResponse> inFlight = service.lookup(request);
    // v2 shortens the TTL to 1 minute: under v2 the 10-minute-old value is OUTSIDE_MAX_AGE.
    registry.apply(ServingDefinitions.definitions(PROJECT, List.of(), Duration.ofMinutes(1)));
    assertThat(watcher.refresh()).isTrue();
    assertThat(watcher.current().versionNumber()).isEqualTo(2);
    gate.complete(null);

    assertThat(inFlight.join().results().get(1).statuses()).containsExactly(FieldStatus.PRESENT);
    assertThat(inFlight.join().results().get(1).values()).containsExactly(42L);
    GetOnlineFeaturesResponse after = service.lookup(request).join();
    assertThat(after.results().get(1).statuses()).containsExactly(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(after.results().get(1).values()).containsExactly((Object) null);
  }

  @Test
  void servesAValueExactlyTtlOldAndNotOneMicrosecondOlder() {
    Definitions v1 = ServingDefinitions.definitions(PROJECT);
    registry.apply(v1);
    put(v1, 1L, NOW.minus(Duration.ofHours(1)));
    put(v1, 2L, NOW.minus(Duration.ofHours(1)).minusNanos(1_000));
    OnlineFeatureService service =
        service(new RegistryWatcher(PROJECT, registry, Duration.ofHours(1)));

    GetOnlineFeaturesResponse response =
        service
            .lookup(
                new GetOnlineFeaturesRequest(
                    List.of("driver_stats:trips"), null, Map.of("driver_id", List.of(1, 2)), null))
            .join();

    assertThat(response.results().get(1).statuses())
        .containsExactly(FieldStatus.PRESENT, FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(response.results().get(1).eventTimestamps())
        .containsExactly("2026-01-01T11:00:00Z", "2026-01-01T10:59:59.999999Z");
    assertThat(store.reads()).isEqualTo(1);
  }

  @Test
  void readsOnlyTheJoinKeysOfTheViewsAskedForAndCountsTheOtherColumns() {
    Definitions v1 = ServingDefinitions.definitions(PROJECT);
    registry.apply(v1);
    put(v1, 1001L, NOW.minus(Duration.ofMinutes(10)));
    OnlineFeatureService service =
        service(new RegistryWatcher(PROJECT, registry, Duration.ofHours(1)));
    Map<String, List<Object>> entities = new java.util.LinkedHashMap<>();
    entities.put("customer_id", List.of(501, 502, 503));
    entities.put("driver_id", List.of(1001));
    entities.put("amount", null);

    GetOnlineFeaturesResponse response =
        service
            .lookup(new GetOnlineFeaturesRequest(List.of(), "driver_service", entities, null))
            .join();

    assertThat(response.metadata().featureNames())
        .containsExactly("driver_id", "conv_rate", "trips", "rating");
    assertThat(response.results().get(0).values()).containsExactly(1001L);
    assertThat(response.results().get(2).values()).containsExactly(42L);
    assertThat(store.reads()).isEqualTo(1);
    assertThat(meters.counter("featurestore.online.ignored_entity_columns").count()).isEqualTo(2.0);
  }

  @Test
  void rejectsANumberForAStringJoinKey() {
    Definitions riders =
        new Definitions(
            PROJECT,
            List.of(entity("rider", key("rider_id", ValueType.STRING))),
            List.of(source("rider_src", "data/riders")),
            List.of(
                view(
                    "rider_profile",
                    "rider",
                    "rider_src",
                    Duration.ZERO,
                    feature("rating", ValueType.FLOAT64))),
            List.of());
    registry.apply(riders);
    OnlineFeatureService service =
        service(new RegistryWatcher(PROJECT, registry, Duration.ofHours(1)));

    assertThatThrownBy(
            () ->
                service.lookup(
                    new GetOnlineFeaturesRequest(
                        List.of("rider_profile:rating"),
                        null,
                        Map.of("rider_id", List.of(7)),
                        null)))
        .isInstanceOf(RequestException.class)
        .hasMessage(
            "Cannot get online features: join key 'rider_id' is string, but row 0 has 7 (a"
                + " number)");
  }

  @Test
  void rendersValuesAsFeastDoes() {
    assertThat(OnlineFeatureService.json(ValueType.FLOAT32, 0.7037263512611389f))
        .isEqualTo(0.7037263512611389);
    assertThat(OnlineFeatureService.json(ValueType.TIMESTAMP, -1L)).isEqualTo(-1L);
    assertThat(OnlineFeatureService.json(ValueType.TIMESTAMP, 1_704_164_645_678_000L))
        .isEqualTo(1_704_164_645L);
    assertThat(OnlineFeatureService.json(ValueType.BYTES, new byte[] {1, 2, (byte) 0xff}))
        .isEqualTo("AQL/");
    assertThat(
            OnlineFeatureService.json(ValueType.ARRAY_FLOAT32, java.util.Arrays.asList(0.5f, null)))
        .isEqualTo(java.util.Arrays.asList(0.5, null));
    assertThat(OnlineFeatureService.timestamp(-1)).isEqualTo("1969-12-31T23:59:59.999999Z");
  }

  @Test
  void formatsTimestampsAsInstantToString() {
    assertThat(OnlineFeatureService.timestamp(0)).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(OnlineFeatureService.timestamp(1_704_164_645_678_000L))
        .isEqualTo("2024-01-02T03:04:05.678Z");
    assertThat(OnlineFeatureService.timestamp(1_704_164_645_000_001L))
        .isEqualTo("2024-01-02T03:04:05.000001Z");
    assertThat(OnlineFeatureService.timestamp(-62_167_219_200_000_000L))
        .isEqualTo("0000-01-01T00:00:00Z");
    assertThat(OnlineFeatureService.timestamp(-62_167_219_200_000_001L))
        .isEqualTo("-0001-12-31T23:59:59.999999Z");
    assertThat(OnlineFeatureService.timestamp(253_402_300_799_999_999L))
        .isEqualTo("9999-12-31T23:59:59.999999Z");
    assertThat(OnlineFeatureService.timestamp(253_402_300_800_000_000L))
        .isEqualTo("+10000-01-01T00:00:00Z");
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 100_000; i++) {
      long micros =
          switch (i % 4) {
            case 0 -> random.nextLong() / 8;
            case 1 -> (random.nextLong() % 4_000_000_000L) * 1_000_000L;
            case 2 ->
                (random.nextLong() % 4_000_000_000L) * 1_000_000L + random.nextInt(1000) * 1000L;
            default -> random.nextLong() % 400_000_000_000_000_000L;
          };
      Instant instant =
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
      assertThat(OnlineFeatureService.timestamp(micros))
          .as("%d", micros)
          .isEqualTo(instant.toString());
    }
  }

  private OnlineFeatureService service(RegistryWatcher watcher) {
    return new OnlineFeatureService(
        watcher, store, new OnlineMetrics(meters), Clock.fixed(NOW, ZoneOffset.UTC), 1000);
  }

  private void put(Definitions definitions, long driver, Instant event) {
    var view = definitions.requireFeatureView("driver_stats");
    store.put(
        OnlineKeys.key(PROJECT, view.name(), definitions.joinKeysOf(view), List.of(driver)),
        new OnlineValueCodec(PROJECT, view)
            .encode(
                List.of(0.5, 0.25f, 42L, "n"),
                OnlineTestStore.micros(event),
                OptionalLong.empty()));
  }
}
