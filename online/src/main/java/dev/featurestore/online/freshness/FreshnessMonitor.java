/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.freshness;

import static java.util.Objects.requireNonNull;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.store.Watermarks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fresh each served feature view is, as gauges and as {@code GET /freshness}:
 *
 * <ul>
 *   <li>{@code featurestore.online.freshness.watermark.age} (seconds, per view): now minus the
 *       view's materialization watermark (the end of its last incremental window); NaN while the
 *       view has none
 *   <li>{@code featurestore.online.freshness.served.age} (seconds, per view): now minus the newest
 *       event timestamp served for the view since the service started ({@link
 *       OnlineMetrics#newestServedMicros}); NaN until one is served
 *   <li>{@code featurestore.online.freshness.violations}: the number of views with a {@code
 *       freshness} whose watermark is older than it, or that have no watermark at all
 * </ul>
 *
 * <p>The watermarks are read from the registry on a daemon thread, never per request: when the
 * served registry snapshot changes and every {@code featurestore.freshness-interval}. The ages are
 * computed when read, so they grow between reads. A failed read keeps the previous watermarks and
 * is reported ({@link FreshnessReport#watermarksError()}).
 */
public final class FreshnessMonitor implements AutoCloseable {
  static final String WATERMARK_AGE = "featurestore.online.freshness.watermark.age";
  static final String SERVED_AGE = "featurestore.online.freshness.served.age";
  static final String VIOLATIONS = "featurestore.online.freshness.violations";

  private static final Logger log = LoggerFactory.getLogger(FreshnessMonitor.class);

  private final RegistryWatcher registry;
  private final Watermarks watermarks;
  private final OnlineMetrics metrics;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, List<Meter>> gauges = new HashMap<>();
  private final ScheduledExecutorService poller;

  private volatile State state = new State(null, Map.of(), Map.of(), null, Optional.empty());

  /**
   * Reads the watermarks now and keeps them current.
   *
   * @param tick how often to look for a new snapshot (the registry poll interval)
   * @param interval how often to read the watermarks when the snapshot is unchanged
   */
  public FreshnessMonitor(
      RegistryWatcher registry,
      Watermarks watermarks,
      OnlineMetrics metrics,
      MeterRegistry meters,
      Clock clock,
      Duration tick,
      Duration interval) {
    this.registry = requireNonNull(registry, "registry is null");
    this.watermarks = requireNonNull(watermarks, "watermarks is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.meters = requireNonNull(meters, "meters is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.interval = requireNonNull(interval, "interval is null");
    Gauge.builder(VIOLATIONS, this, m -> m.report().violations())
        .description("Feature views whose watermark is older than their freshness (or missing)")
        .register(meters);
    refresh();
    poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "freshness-monitor");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(10, tick.toMillis());
    poller.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The freshness of every served view now. */
  public FreshnessReport report() {
    State current = state;
    Instant now = clock.instant();
    List<FreshnessReport.ViewFreshness> views = new ArrayList<>();
    for (FeatureView view : current.views.values()) {
      Optional<Instant> watermark = Optional.ofNullable(current.watermarks.get(view.name()));
      OptionalLong served = metrics.newestServedMicros(view.name());
      views.add(
          FreshnessReport.ViewFreshness.of(
              view.name(),
              watermark,
              view.freshness(),
              served.isPresent()
                  ? Optional.of(Instant.EPOCH.plusNanos(served.getAsLong() * 1_000L))
                  : Optional.empty(),
              now));
    }
    return new FreshnessReport(
        now,
        current.snapshot == null ? 0 : current.snapshot.versionNumber(),
        Optional.ofNullable(current.watermarksReadAt),
        current.watermarksError,
        views);
  }

  /** Reads the watermarks now (and takes the current snapshot's views). */
  public synchronized void refresh() {
    ServingSnapshot snapshot = registry.current();
    Map<String, FeatureView> views = new LinkedHashMap<>();
    if (snapshot.version().isPresent()) {
      for (FeatureView view : snapshot.definitions().featureViews()) {
        if (view.online()) {
          views.put(view.name(), view);
        }
      }
    }
    State previous = state;
    Map<String, Instant> read = previous.watermarks;
    Instant readAt = previous.watermarksReadAt;
    Optional<String> error;
    try {
      read = Map.copyOf(watermarks.all());
      readAt = clock.instant();
      error = Optional.empty();
    } catch (RuntimeException e) {
      log.warn(
          "Cannot read the materialization watermarks, keeping the previous ones: {}",
          e.toString());
      error = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    state = new State(snapshot, views, read, readAt, error);
    registerGauges(views);
  }

  @SuppressWarnings("ReferenceEquality") // a reload is a new snapshot object
  private void tick() {
    try {
      State current = state;
      boolean reloaded = registry.current() != current.snapshot;
      boolean due =
          current.watermarksReadAt == null
              || !clock.instant().isBefore(current.watermarksReadAt.plus(interval));
      if (reloaded || due) {
        refresh();
      }
    } catch (RuntimeException e) {
      log.warn("Cannot update the freshness gauges: {}", e.toString());
    }
  }

  /** One gauge pair per served view; the gauges of views no longer served are removed. */
  private void registerGauges(Map<String, FeatureView> views) {
    for (String view : List.copyOf(gauges.keySet())) {
      if (!views.containsKey(view)) {
        gauges.remove(view).forEach(meters::remove);
      }
    }
    for (String view : views.keySet()) {
      if (!gauges.containsKey(view)) {
        gauges.put(
            view,
            List.of(
                Gauge.builder(WATERMARK_AGE, this, m -> m.watermarkAgeSeconds(view))
                    .description("Seconds since the feature view's materialization watermark")
                    .tag("view", view)
                    .baseUnit("seconds")
                    .register(meters),
                Gauge.builder(SERVED_AGE, this, m -> m.servedAgeSeconds(view))
                    .description("Seconds since the newest event timestamp served for the view")
                    .tag("view", view)
                    .baseUnit("seconds")
                    .register(meters)));
      }
    }
  }

  private double watermarkAgeSeconds(String view) {
    Instant watermark = state.watermarks.get(view);
    return watermark == null ? Double.NaN : seconds(Duration.between(watermark, clock.instant()));
  }

  private double servedAgeSeconds(String view) {
    OptionalLong served = metrics.newestServedMicros(view);
    if (served.isEmpty()) {
      return Double.NaN;
    }
    long nowMicros = FreshnessReport.micros(clock.instant());
    return (nowMicros - served.getAsLong()) / 1e6;
  }

  static double seconds(Duration duration) {
    return duration.getSeconds() + duration.getNano() / 1e9;
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  private record State(
      ServingSnapshot snapshot,
      Map<String, FeatureView> views,
      Map<String, Instant> watermarks,
      Instant watermarksReadAt,
      Optional<String> watermarksError) {}
}
