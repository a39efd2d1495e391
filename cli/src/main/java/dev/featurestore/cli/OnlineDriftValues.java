/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.store.LettuceOnlineStoreReader;
import dev.featurestore.online.store.OnlineSample;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.statistics.drift.ServedValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The values served online for {@code drift --against online}: up to {@code sample} entities of a
 * view sampled from Redis with {@code verify}'s {@link OnlineSample}, looked up as {@code verify}
 * does ({@link VerifyOnline}: the online service's own {@link OnlineFeatureService}, its registry
 * snapshot, planner, Redis reader and TTL rule, the clock fixed at the lookup time). A value that
 * is not served (expired, missing) is null.
 */
final class OnlineDriftValues implements ServedValues, AutoCloseable {
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
            Verifier.BATCH);
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
    // verify's lookup: every feature of the view, null where none is served.
    VerifyOnline online = VerifyOnline.lookup(service, view, joinKeys, entities);
    List<Integer> positions = features.stream().map(view.features()::indexOf).toList();
    List<List<Object>> values = new ArrayList<>(entities.size());
    for (List<Object> row : online.values()) {
      List<Object> picked = new ArrayList<>(positions.size());
      positions.forEach(i -> picked.add(row.get(i)));
      values.add(picked);
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
