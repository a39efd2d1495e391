/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
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
  private static final String LOOKUP = "/get-online-features";

  private final ConnectionProvider connections;
  private final HttpClient client;
  private final String path;

  LoadGenerator(String baseUrl) {
    this(baseUrl, LOOKUP);
  }

  /** A generator posting to {@code path} ({@code /push}: any 200 is a success). */
  LoadGenerator(String baseUrl, String path) {
    this.path = path;
    connections =
        ConnectionProvider.builder("bench").maxConnections(1024).pendingAcquireMaxCount(-1).build();
    client =
        HttpClient.create(connections)
            .baseUrl(baseUrl)
            .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
  }

  /** The answer of one run. */
  record Result(
      Histogram latencyMicros,
      long requests,
      long errors,
      double seconds,
      Histogram sendLagMicros) {
    double throughput() {
      return requests / seconds;
    }
  }

  private Mono<Integer> call(String body) {
    return client
        .post()
        .uri(path)
        .send(ByteBufMono.fromString(Mono.just(body)))
        .responseSingle(
            (response, content) ->
                content
                    .asByteArray()
                    .map(
                        bytes ->
                            path.equals(LOOKUP)
                                ? ok(response.status().code(), bytes)
                                : response.status().code())
                    .defaultIfEmpty(
                        response.status().code() == 200 ? 299 : response.status().code()));
  }

  private static final byte[] PRESENT = "\"PRESENT\"".getBytes(StandardCharsets.US_ASCII);

  private static int ok(int status, byte[] body) {
    // Every benchmark entity exists: an answer without PRESENT values is an error.
    return status != 200 ? status : contains(body, PRESENT) ? 200 : 299;
  }

  private static boolean contains(byte[] text, byte[] word) {
    outer:
    for (int i = 0; i + word.length <= text.length; i++) {
      for (int j = 0; j < word.length; j++) {
        if (text[i + j] != word[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Sends {@code rate} requests per second for {@code duration}, open loop, from the calling thread
   * (it parks until each send is due). {@link Result#sendLagMicros} shows how late sends left
   * against their schedule (that lag counts in the latency).
   */
  Result openLoop(List<String> bodies, int rate, Duration duration) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    Histogram lag = new Histogram(3);
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
      lag.recordValue((System.nanoTime() - scheduled) / 1_000);
      send(bodies, scheduled, recorder, errors, done);
    }
    done.await(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(recorder.getIntervalHistogram(), total, errors.get(), seconds, lag);
  }

  private void send(
      List<String> bodies,
      long scheduled,
      Recorder recorder,
      AtomicLong errors,
      CountDownLatch done) {
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
    return new Result(recorder.getIntervalHistogram(), count, errors.get(), seconds, null);
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
