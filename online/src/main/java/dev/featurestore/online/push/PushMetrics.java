/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the push endpoints (their latency is in Spring's {@code http.server.requests}, by
 * {@code uri}):
 *
 * <ul>
 *   <li>{@code featurestore.online.push.rows}: rows accepted, tagged by source
 *   <li>{@code featurestore.online.push.rejected}: requests refused (bad input, Redis down), tagged
 *       by source ({@value #UNKNOWN} when the request named none that exists, so client typos do
 *       not create meters)
 * </ul>
 */
final class PushMetrics {
  static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final Map<String, Counter> rows = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  PushMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void pushed(String source, long count) {
    rows.computeIfAbsent(
            source,
            s ->
                Counter.builder("featurestore.online.push.rows")
                    .description("Rows accepted by push endpoints")
                    .tag("source", s)
                    .register(registry))
        .increment(count);
  }

  void rejected(String source) {
    rejected
        .computeIfAbsent(
            source,
            s ->
                Counter.builder("featurestore.online.push.rejected")
                    .description("Push requests refused")
                    .tag("source", s)
                    .register(registry))
        .increment();
  }
}
