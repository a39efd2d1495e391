/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.testing.InMemoryOnlineStore;
import dev.featurestore.online.testing.InMemoryRegistry;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.ServingDefinitions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The lookup service alone (no HTTP, no Redis): CPU per request of the service's own code. */
public final class LookupMicroBenchmark {
  private LookupMicroBenchmark() {}

  public static void main(String[] args) {
    InMemoryRegistry registry = new InMemoryRegistry();
    Definitions definitions = ServingDefinitions.definitions("rides");
    registry.apply(definitions);
    InMemoryOnlineStore store = new InMemoryOnlineStore();
    for (String name : List.of("driver_stats", "driver_profile")) {
      FeatureView view = definitions.requireFeatureView(name);
      OnlineValueCodec codec = new OnlineValueCodec("rides", view);
      for (long id = 0; id < 1000; id++) {
        List<?> values =
            name.equals("driver_stats")
                ? List.of(0.5, 0.25f, 42L, "note")
                : List.of(4.5, "Paris", List.of("a"), 1_700_000_000_000_000L);
        store.put(
            OnlineKeys.key("rides", name, definitions.joinKeysOf(view), List.of(id)),
            codec.encode(values, System.currentTimeMillis() * 1000, OptionalLong.empty()));
      }
    }
    OnlineFeatureService service =
        new OnlineFeatureService(
            new RegistryWatcher("rides", registry, Duration.ofHours(1)),
            store,
            new OnlineMetrics(new SimpleMeterRegistry()),
            Clock.systemUTC(),
            1000);
    for (int entities : new int[] {1, 100}) {
      GetOnlineFeaturesRequest request =
          new GetOnlineFeaturesRequest(
              null,
              "driver_service",
              Map.of(
                  "driver_id",
                  java.util.stream.LongStream.range(0, entities)
                      .boxed()
                      .map(l -> (Object) l)
                      .toList()),
              false);
      for (int round = 0; round < 5; round++) {
        int n = entities == 1 ? 200_000 : 5_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          service.lookup(request).join();
        }
        System.out.printf(
            "%d entities: %.1f us/request%n", entities, (System.nanoTime() - start) / 1e3 / n);
      }
    }
  }
}
