/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.freshness;

import dev.featurestore.online.OnlineMetrics;
import dev.featurestore.online.config.OnlineProperties;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.registry.repo.FeatureRepo;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the {@link FreshnessMonitor} to the served registry and its watermarks. */
@Configuration(proxyBeanMethods = false)
class FreshnessConfiguration {
  @Bean(destroyMethod = "close")
  FreshnessMonitor freshnessMonitor(
      RegistryWatcher registry,
      FeatureRepo repo,
      OnlineMetrics metrics,
      MeterRegistry meters,
      Clock clock,
      OnlineProperties properties) {
    return new FreshnessMonitor(
        registry,
        repo.registry().watermarks(),
        metrics,
        meters,
        clock,
        properties.registryPollInterval(),
        properties.freshnessInterval());
  }
}
