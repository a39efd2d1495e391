/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.onlinestore.writer.RedisConnections;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.repo.FeatureRepo;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the push endpoints to the registry, the repo and the Redis the service reads. */
@Configuration(proxyBeanMethods = false)
class PushConfiguration {
  @Bean(destroyMethod = "")
  PushService pushService(
      RegistryWatcher registry,
      FeatureRepo repo,
      RedisConfig onlineRedis,
      PushProperties properties,
      MeterRegistry meters,
      Clock clock) {
    return new PushService(registry, repo, onlineRedis, properties, new PushMetrics(meters), clock);
  }

  /** Closes the push writer's Redis connection (the shared one of the online-store writer). */
  @Bean
  AutoCloseable pushRedisConnection(RedisConfig onlineRedis) {
    return () -> RedisConnections.evict(onlineRedis);
  }
}
