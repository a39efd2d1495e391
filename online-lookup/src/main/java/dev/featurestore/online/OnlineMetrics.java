/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's own metrics (request latency by endpoint is Spring's {@code http.server.requests}):
 *
 * <ul>
 *   <li>{@code featurestore.online.entities}: entity rows per request (histogram)
 *   <li>{@code featurestore.online.redis.round.trip}: time of the one Redis round trip of a request
 *   <li>{@code featurestore.online.errors}: error answers, tagged by error code and HTTP status
 *   <li>{@code featurestore.online.ignored_entity_columns}: columns of requests' {@code entities}
 *       that are no join key of the views read, which are ignored (as Feast's server ignores them)
 *   <li>{@code featurestore.online.freshness}: per feature view, the age of the oldest value served
 *       by a request (now minus its event timestamp)
 * </ul>
 *
 * <p>It also keeps, per feature view, the newest event timestamp ever served ({@link
 * #newestServedMicros}): one atomic maximum per view and request, which the service's freshness
 * gauges ({@code featurestore.online.freshness.served.age}) read when scraped.
 */
public final class OnlineMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary entities;
  private final Timer redisRoundTrip;
  private final Counter ignoredEntityColumns;
  private final Map<String, Timer> freshness = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> newestServed = new ConcurrentHashMap<>();

  public OnlineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.entities =
        DistributionSummary.builder("featurestore.online.entities")
            .description("Entity rows per get-online-features request")
            .baseUnit("entities")
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(10_000.0)
            .register(registry);
    this.redisRoundTrip =
        Timer.builder("featurestore.online.redis.round.trip")
            .description("Duration of the one Redis round trip of a request")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
            .maximumExpectedValue(Duration.ofSeconds(1))
            .register(registry);
    this.ignoredEntityColumns =
        Counter.builder("featurestore.online.ignored_entity_columns")
            .description("Columns of requests' entities that are no join key of the views read")
            .baseUnit("columns")
            .register(registry);
  }

  /** Counts the columns of a request's entities that were ignored (no join key of its views). */
  public void ignoredEntityColumns(int columns) {
    if (columns > 0) {
      ignoredEntityColumns.increment(columns);
    }
  }

  /** Records the number of entity rows of a request. */
  public void entities(long rows) {
    entities.record(rows);
  }

  /** Records one Redis round trip. */
  public void redisRoundTrip(long nanos) {
    redisRoundTrip.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records the age of the oldest value of a view served by a request. */
  public void freshness(String view, long ageMicros) {
    freshness
        .computeIfAbsent(
            view,
            name ->
                Timer.builder("featurestore.online.freshness")
                    .description("Age of the oldest value of a feature view served by a request")
                    .tag("view", name)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofSeconds(1))
                    .maximumExpectedValue(Duration.ofDays(30))
                    .register(registry))
        .record(ageMicros, TimeUnit.MICROSECONDS);
  }

  /** Records the newest event timestamp (microseconds) of a view's values served by a request. */
  public void served(String view, long newestEventMicros) {
    AtomicLong newest = newestServed.get(view);
    if (newest == null) {
      newest = newestServed.computeIfAbsent(view, name -> new AtomicLong(Long.MIN_VALUE));
    }
    if (newest.get() < newestEventMicros) {
      newest.accumulateAndGet(newestEventMicros, Math::max);
    }
  }

  /** The newest event timestamp (microseconds) of a view's values served so far; empty if none. */
  public OptionalLong newestServedMicros(String view) {
    AtomicLong newest = newestServed.get(view);
    return newest == null || newest.get() == Long.MIN_VALUE
        ? OptionalLong.empty()
        : OptionalLong.of(newest.get());
  }

  /**
   * The {@code http.server.requests} timer of an endpoint served outside WebFlux (see {@link
   * RequestTimer}).
   */
  public RequestTimer requestTimer(String uri) {
    return new RequestTimer(registry, uri);
  }

  /**
   * Records answers to one endpoint in Spring's {@code http.server.requests} timer, with the tags
   * its observation gives, for an endpoint Spring's observation does not see. The timers of {@code
   * POST} answers are looked up once per status (a race registers the same meter twice, which the
   * registry answers with one).
   */
  public static final class RequestTimer {
    private final MeterRegistry registry;
    private final String uri;
    private final Timer[] posts = new Timer[600];

    private RequestTimer(MeterRegistry registry, String uri) {
      this.registry = registry;
      this.uri = uri;
    }

    /** Records one answer of {@code status} to a {@code method} request. */
    public void record(String method, int status, long nanos) {
      boolean cached = "POST".equals(method) && status >= 0 && status < posts.length;
      Timer timer = cached ? posts[status] : null;
      if (timer == null) {
        timer =
            Timer.builder("http.server.requests")
                .tag("error", "none")
                .tag("exception", "none")
                .tag("method", method)
                .tag("outcome", outcome(status))
                .tag("status", String.valueOf(status))
                .tag("uri", uri)
                .register(registry);
        if (cached) {
          posts[status] = timer;
        }
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static String outcome(int status) {
    return switch (status / 100) {
      case 1 -> "INFORMATIONAL";
      case 2 -> "SUCCESS";
      case 3 -> "REDIRECTION";
      case 4 -> "CLIENT_ERROR";
      case 5 -> "SERVER_ERROR";
      default -> "UNKNOWN";
    };
  }

  /** Counts an error answer. */
  public void error(String code, int status) {
    errors
        .computeIfAbsent(
            code + "/" + status,
            key ->
                Counter.builder("featurestore.online.errors")
                    .description("Error answers by error code and HTTP status")
                    .tag("code", code)
                    .tag("status", String.valueOf(status))
                    .register(registry))
        .increment();
  }
}
