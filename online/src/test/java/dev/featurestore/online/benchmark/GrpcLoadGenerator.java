/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.benchmark;

import dev.featurestore.feast.protocol.serving.ServingApi.FieldStatus;
import dev.featurestore.feast.protocol.serving.ServingApi.GetOnlineFeaturesRequest;
import dev.featurestore.feast.protocol.serving.ServingApi.GetOnlineFeaturesResponse;
import dev.featurestore.feast.protocol.serving.ServingServiceGrpc;
import dev.featurestore.feast.protocol.serving.ServingServiceGrpc.ServingServiceStub;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A gRPC load generator for Feast's {@code GetOnlineFeatures} (the generated async stub over
 * {@value #CHANNELS} channels, i.e. HTTP/2 connections, used round robin), with the same open and
 * closed loops as the HTTP {@link LoadGenerator}: open-loop latency is measured from each request's
 * scheduled send time, and the send lag is reported.
 */
final class GrpcLoadGenerator implements AutoCloseable {
  static final int CHANNELS = 4;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<ServingServiceStub> stubs = new ArrayList<>();

  GrpcLoadGenerator(int port) {
    for (int i = 0; i < CHANNELS; i++) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
      channels.add(channel);
      stubs.add(ServingServiceGrpc.newStub(channel));
    }
  }

  /** Calls once; {@code done} gets 200 for an answer with PRESENT values, else another number. */
  private void call(GetOnlineFeaturesRequest request, LongConsumer done) {
    ServingServiceStub stub = stubs.get(ThreadLocalRandom.current().nextInt(stubs.size()));
    stub.getOnlineFeatures(
        request,
        new StreamObserver<>() {
          private boolean present;

          @Override
          public void onNext(GetOnlineFeaturesResponse response) {
            // Every benchmark entity exists: an answer without PRESENT features is an error.
            present =
                response.getResultsCount() > 1
                    && response.getResults(1).getStatusesList().contains(FieldStatus.PRESENT);
          }

          @Override
          public void onError(Throwable error) {
            done.accept(500);
          }

          @Override
          public void onCompleted() {
            done.accept(present ? 200 : 299);
          }
        });
  }

  /** Sends {@code rate} requests per second for {@code duration}, open loop. */
  LoadGenerator.Result openLoop(
      List<GetOnlineFeaturesRequest> requests, int rate, Duration duration)
      throws InterruptedException {
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
      call(
          requests.get(ThreadLocalRandom.current().nextInt(requests.size())),
          status -> {
            recorder.recordValue((System.nanoTime() - scheduled) / 1_000);
            if (status != 200) {
              errors.incrementAndGet();
            }
            done.countDown();
          });
    }
    done.await(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new LoadGenerator.Result(
        recorder.getIntervalHistogram(), total, errors.get(), seconds, lag);
  }

  /** Keeps {@code concurrency} calls in flight for {@code duration}. */
  LoadGenerator.Result closedLoop(
      List<GetOnlineFeaturesRequest> requests, int concurrency, Duration duration)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong completed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch stopped = new CountDownLatch(concurrency);
    long start = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      loop(requests, recorder, completed, errors, running, stopped);
    }
    Thread.sleep(duration.toMillis());
    running.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = completed.get();
    stopped.await(30, TimeUnit.SECONDS);
    return new LoadGenerator.Result(
        recorder.getIntervalHistogram(), count, errors.get(), seconds, null);
  }

  private void loop(
      List<GetOnlineFeaturesRequest> requests,
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
    call(
        requests.get(ThreadLocalRandom.current().nextInt(requests.size())),
        status -> {
          recorder.recordValue((System.nanoTime() - sent) / 1_000);
          completed.incrementAndGet();
          if (status != 200) {
            errors.incrementAndGet();
          }
          loop(requests, recorder, completed, errors, running, stopped);
        });
  }

  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
  }
}
