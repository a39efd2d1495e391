/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.snapshot;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.store.RegistryVersion;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Health of the registry being served: DOWN until a version is loaded (nothing applied yet), then
 * UP with its number. Part of the readiness group ({@code /actuator/health/readiness}), so no load
 * balancer sends lookups to a server that can only answer 503.
 */
public final class RegistryHealthIndicator implements ReactiveHealthIndicator {
  private final RegistryWatcher registry;

  public RegistryHealthIndicator(RegistryWatcher registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  public Mono<Health> health() {
    return Mono.fromSupplier(this::current);
  }

  private Health current() {
    ServingSnapshot snapshot = registry.current();
    Optional<RegistryVersion> version = snapshot.version();
    if (version.isEmpty()) {
      return Health.down()
          .withDetail("project", snapshot.project())
          .withDetail("error", RegistryWatcher.NOTHING_APPLIED.formatted(snapshot.project()))
          .build();
    }
    return Health.up()
        .withDetail("project", snapshot.project())
        .withDetail("version", version.get().number())
        .build();
  }
}
