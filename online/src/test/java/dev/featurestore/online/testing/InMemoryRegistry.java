/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.StatisticsDocuments;
import dev.featurestore.registry.store.StatisticsHistory;
import dev.featurestore.registry.store.Watermarks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;

/** A hand-written in-memory registry: versions in a list, every applied view schema kept. */
public final class InMemoryRegistry implements Registry {
  private final List<RegistryVersion> versions = new CopyOnWriteArrayList<>();
  private final Map<Long, Schema> schemas = new ConcurrentHashMap<>();
  private final Watermarks watermarks = new MemoryWatermarks();
  private final StatisticsHistory statistics = new MemoryStatistics();

  @Override
  public Optional<RegistryVersion> latest() {
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  @Override
  public RegistryVersion version(long number) {
    return versions.stream()
        .filter(v -> v.number() == number)
        .findFirst()
        .orElseThrow(
            () -> FeatureStoreException.of(ErrorCode.NOT_FOUND, "Cannot find version %d", number));
  }

  @Override
  public List<RegistryVersion> history() {
    return List.copyOf(versions);
  }

  @Override
  public synchronized ApplyResult apply(ApplyRequest request) {
    Optional<RegistryVersion> latest = latest();
    Optional<ApplyResult> unchanged = Registries.checkApply(location(), latest, request);
    if (unchanged.isPresent()) {
      return unchanged.get();
    }
    RegistryVersion version = Registries.nextVersion(latest, request);
    Registries.valueSchemas(request.definitions())
        .values()
        .forEach(s -> schemas.put(FeatureViewSchemas.fingerprint(s), s));
    versions.add(version);
    return new ApplyResult(version, true);
  }

  @Override
  public Optional<Schema> schema(long fingerprint) {
    return Optional.ofNullable(schemas.get(fingerprint));
  }

  @Override
  public Map<String, Long> schemaFingerprints(long number) {
    Definitions definitions = version(number).definitions();
    Map<String, Long> fingerprints = new LinkedHashMap<>();
    for (FeatureView view : definitions.featureViews()) {
      fingerprints.put(
          view.name(),
          FeatureViewSchemas.fingerprint(FeatureViewSchemas.schemaOf(definitions.project(), view)));
    }
    return fingerprints;
  }

  @Override
  public synchronized void append(RegistryVersion version, Map<String, Schema> viewSchemas) {
    if (version.number() != versions.size() + 1) {
      throw FeatureStoreException.of(
          ErrorCode.CONFLICT, "Cannot append version %d", version.number());
    }
    viewSchemas.values().forEach(s -> schemas.put(FeatureViewSchemas.fingerprint(s), s));
    versions.add(version);
  }

  @Override
  public Watermarks watermarks() {
    return watermarks;
  }

  @Override
  public StatisticsHistory statistics() {
    return statistics;
  }

  @Override
  public String location() {
    return "memory";
  }

  private static final class MemoryStatistics implements StatisticsHistory {
    private final List<StatisticsRun> runs = new CopyOnWriteArrayList<>();

    @Override
    public void append(StatisticsRun run) {
      runs.add(run);
    }

    @Override
    public List<StatisticsRun> runs(String view) {
      return runs.stream()
          .filter(r -> r.view().equals(view))
          .sorted(StatisticsDocuments.ORDER)
          .toList();
    }

    @Override
    public List<String> views() {
      return runs.stream().map(StatisticsRun::view).distinct().sorted().toList();
    }
  }

  private static final class MemoryWatermarks implements Watermarks {
    private final Map<String, Instant> values = new ConcurrentHashMap<>();

    @Override
    public Optional<Instant> read(String view) {
      return Optional.ofNullable(values.get(view));
    }

    @Override
    public void write(String view, Instant watermark) {
      values.put(view, watermark);
    }

    @Override
    public Map<String, Instant> all() {
      return new TreeMap<>(values);
    }
  }
}
