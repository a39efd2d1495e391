/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * An HTTP load generator for {@code POST /get-online-features} (Reactor Netty, keep-alive, at most
 * 64 connections like a pooled client; requests beyond that wait in the client and the wait counts
 * in their latency):
 *
 * <ul>
 *   <li>open loop: requests are sent on a fixed schedule whatever the answers, and each latency is
 *       measured from the request's <em>scheduled</em> send time, so a stall counts for every
 *       request it delays (no coordinated omission);
 *   <li>closed loop: a fixed number of clients each send the next request when the previous one is
 *       answered, for the maximum throughput at that concurrency.
 * </ul>
 */
final class LoadGenerator implements AutoCloseable {
  private final ConnectionProvider connections;
  private final HttpClient client;

  LoadGenerator(String baseUrl) {
    connections =
        ConnectionProvider.builder("bench").maxConnections(1024).pendingAcquireMaxCount(-1).build();
    client =
        HttpClient.create(connections)
            .baseUrl(baseUrl)
            .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
  }

  /** The answer of one run. */
  record Result(Histogram latencyMicros, long requests, long errors, double seconds) {
    double throughput() {
      return requests / seconds;
    }
  }

  private Mono<Integer> call(String body) {
    return client
        .post()
        .uri("/get-online-features")
        .send(ByteBufMono.fromString(Mono.just(body)))
        .responseSingle(
            (response, content) ->
                content.asString().map(text -> ok(response.status().code(), text)));
  }

  private static int ok(int status, String text) {
    // Every benchmark entity exists: an answer without PRESENT values is an error.
    return status == 200 && text.contains("\"PRESENT\"") ? 200 : status == 200 ? 299 : status;
  }

  /** Sends {@code rate} requests per second for {@code duration}, open loop. */
  Result openLoop(List<String> bodies, int rate, Duration duration) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    long total = rate * duration.toSeconds();
    CountDownLatch done = new CountDownLatch((int) total);
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long scheduled = start + i * interval;
      long wait;
      while ((wait = scheduled - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      String body = bodies.get(ThreadLocalRandom.current().nextInt(bodies.size()));
      call(body)
          .subscribe(
              status -> {
                recorder.recordValue((System.nanoTime() - scheduled) / 1_000);
                if (status != 200) {
                  errors.incrementAndGet();
                }
                done.countDown();
              },
              error -> {
                errors.incrementAndGet();
                done.countDown();
              });
    }
    done.await(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(recorder.getIntervalHistogram(), total, errors.get(), seconds);
  }

  /** Runs {@code concurrency} closed-loop clients for {@code duration}. */
  Result closedLoop(List<String> bodies, int concurrency, Duration duration)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong completed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch stopped = new CountDownLatch(concurrency);
    long start = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      loop(bodies, recorder, completed, errors, running, stopped);
    }
    Thread.sleep(duration.toMillis());
    running.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = completed.get();
    stopped.await(30, TimeUnit.SECONDS);
    return new Result(recorder.getIntervalHistogram(), count, errors.get(), seconds);
  }

  private void loop(
      List<String> bodies,
      Recorder recorder,
      AtomicLong completed,
      AtomicLong errors,
      AtomicBoolean running,
      CountDownLatch stopped) {
    if (!running.get()) {
      stopped.countDown();
      return;
    }
    long sent = System.nanoTime();
    String body = bodies.get(ThreadLocalRandom.current().nextInt(bodies.size()));
    call(body)
        .subscribe(
            status -> {
              recorder.recordValue((System.nanoTime() - sent) / 1_000);
              completed.incrementAndGet();
              if (status != 200) {
                errors.incrementAndGet();
              }
              loop(bodies, recorder, completed, errors, running, stopped);
            },
            error -> {
              errors.incrementAndGet();
              loop(bodies, recorder, completed, errors, running, stopped);
            });
  }

  @Override
  public void close() {
    connections.dispose();
  }
}
