/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Health of the online store: UP when Redis answers PING within the request timeout, else DOWN with
 * the store's error (what to do about it).
 */
public final class RedisHealthIndicator implements ReactiveHealthIndicator {
  private final OnlineStoreReader store;
  private final Duration timeout;

  public RedisHealthIndicator(OnlineStoreReader store, Duration timeout) {
    this.store = store;
    this.timeout = timeout;
  }

  @Override
  public Mono<Health> health() {
    return Mono.fromFuture(store::ping)
        .timeout(timeout)
        .map(reply -> Health.up().withDetail("redis", store.description()).build())
        .onErrorResume(
            e ->
                Mono.just(
                    Health.down()
                        .withDetail("redis", store.description())
                        .withDetail(
                            "error",
                            e instanceof TimeoutException
                                ? "no answer within " + timeout.toMillis() + " ms"
                                : String.valueOf(e.getMessage()))
                        .build()));
  }
}
