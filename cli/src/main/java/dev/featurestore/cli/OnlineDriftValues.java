/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.online.lookup.ValueEncoding;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.store.LettuceOnlineStoreReader;
import dev.featurestore.online.store.OnlineSample;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.statistics.drift.ServedValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The values served online for {@code drift --against online}: up to {@code sample} entities of a
 * view sampled from Redis with {@code verify}'s {@link OnlineSample}, looked up through the online
 * service's own {@link OnlineFeatureService} (registry snapshot, planner, Redis reader, TTL rule),
 * its clock fixed at the lookup time. A value that is not served (expired, missing) is null.
 */
final class OnlineDriftValues implements ServedValues, AutoCloseable {
  private static final int BATCH = 1_000;

  /** The values as decoded by the codec (timestamps as Long micros), not as JSON renders them. */
  private static final ValueEncoding DECODED =
      new ValueEncoding() {
        @Override
        public List<Object> joinKey(String name, List<Object> values) {
          return values;
        }

        @Override
        public Object feature(ValueType type, Object value) {
          return value;
        }
      };

  private final RedisConfig redis;
  private final int sample;
  private final long seed;
  private final RegistryWatcher watcher;
  private final LettuceOnlineStoreReader reader;
  private final OnlineFeatureService service;

  OnlineDriftValues(
      FeatureRepo repo, RedisConfig redis, int sample, long seed, Instant lookupTime) {
    this.redis = redis;
    this.sample = sample;
    this.seed = seed;
    this.watcher =
        new RegistryWatcher(repo.config().project(), repo.registry(), Duration.ofHours(1));
    try {
      this.reader = new LettuceOnlineStoreReader(redis, Duration.ofSeconds(10), 1);
    } catch (RuntimeException e) {
      watcher.close();
      throw e;
    }
    this.service =
        new OnlineFeatureService(
            watcher,
            reader,
            new OnlineMetrics(new SimpleMeterRegistry()),
            Clock.fixed(lookupTime, ZoneOffset.UTC),
            BATCH);
  }

  /** The definitions the online service serves. */
  Definitions definitions() {
    return watcher.current().definitions();
  }

  @Override
  public List<List<Object>> values(FeatureView view, List<Feature> features) {
    Definitions definitions = definitions();
    List<JoinKey> joinKeys = definitions.joinKeysOf(view);
    List<List<Object>> entities =
        OnlineSample.entities(
            redis, definitions.project(), List.of(view.name()), joinKeys, sample, seed);
    List<String> references = features.stream().map(f -> view.name() + ":" + f.name()).toList();
    List<List<Object>> values = new ArrayList<>(entities.size());
    for (int from = 0; from < entities.size(); from += BATCH) {
      List<List<Object>> batch = entities.subList(from, Math.min(entities.size(), from + BATCH));
      Map<String, List<Object>> columns = new LinkedHashMap<>();
      for (int k = 0; k < joinKeys.size(); k++) {
        List<Object> column = new ArrayList<>(batch.size());
        for (List<Object> entity : batch) {
          Object value = entity.get(k);
          column.add(
              value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value);
        }
        columns.put(joinKeys.get(k).name(), column);
      }
      GetOnlineFeaturesResponse response;
      try {
        response =
            service
                .lookup(new GetOnlineFeaturesRequest(references, null, columns, true), DECODED)
                .join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof FeatureStoreException f ? f : e;
      }
      List<GetOnlineFeaturesResponse.FeatureVector> results = response.results();
      for (int r = 0; r < batch.size(); r++) {
        List<Object> row = new ArrayList<>(features.size());
        for (int f = 0; f < features.size(); f++) {
          GetOnlineFeaturesResponse.FeatureVector vector = results.get(joinKeys.size() + f);
          row.add(vector.statuses().get(r) == FieldStatus.PRESENT ? vector.values().get(r) : null);
        }
        values.add(row);
      }
    }
    return values;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } finally {
      watcher.close();
    }
  }
}
