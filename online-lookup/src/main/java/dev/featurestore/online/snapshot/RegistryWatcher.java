/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.snapshot;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the registry version being served and swaps in a new one, without a restart, when the
 * registry's latest version number changes (polled on one daemon thread). A failed reload is logged
 * and the previous version keeps being served. Starting on a registry with nothing applied logs one
 * warning; {@link RegistryHealthIndicator} is DOWN until the first version is loaded.
 */
public final class RegistryWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryWatcher.class);

  /** Why nothing is served yet (a format of the project name). */
  static final String NOTHING_APPLIED =
      "The registry of project '%s' has no applied version yet: lookups answer 503 and readiness"
          + " is DOWN until one is applied (run `featurestore apply` in the repo)";

  private final String project;
  private final Registry registry;
  private final AtomicReference<ServingSnapshot> current = new AtomicReference<>();
  private final ScheduledExecutorService poller;

  /** Loads the latest version now and polls for newer ones every {@code pollInterval}. */
  public RegistryWatcher(String project, Registry registry, Duration pollInterval) {
    this.project = requireNonNull(project, "project is null");
    this.registry = requireNonNull(registry, "registry is null");
    current.set(ServingSnapshot.empty(project));
    if (!refresh()) {
      log.warn("{}", NOTHING_APPLIED.formatted(project));
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "registry-watcher");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(10, pollInterval.toMillis());
    poller.scheduleWithFixedDelay(this::refreshQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The snapshot to serve a request with; take it once per request. */
  public ServingSnapshot current() {
    return current.get();
  }

  /** Loads the latest version if it differs from the served one; returns whether it changed. */
  public synchronized boolean refresh() {
    Optional<RegistryVersion> latest = registry.latest();
    ServingSnapshot served = current.get();
    if (latest.isEmpty()
        || (served.version().isPresent()
            && served.version().get().number() == latest.get().number()
            && served.version().get().contentHash().equals(latest.get().contentHash()))) {
      return false;
    }
    current.set(ServingSnapshot.of(project, latest.get(), registry::schema));
    log.info(
        "Serving registry version {} of project '{}' ({} feature views)",
        latest.get().number(),
        project,
        latest.get().definitions().featureViews().size());
    return true;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("Cannot reload the registry, still serving the previous version: {}", e.toString());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
