/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.online.store.OnlineRead;
import dev.featurestore.online.store.OnlineStoreReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written in-memory online store for unit tests. Reads wait for {@link #gate()} to complete,
 * so a test can hold a request in flight.
 */
public final class InMemoryOnlineStore implements OnlineStoreReader {
  private final Map<ByteBuffer, byte[]> values = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, Map<byte[], byte[]>> hashes = new ConcurrentHashMap<>();
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  private volatile int reads;

  public void put(byte[] key, byte[] value) {
    values.put(ByteBuffer.wrap(key), value);
  }

  /** Sets one field of the hash at {@code key} (an aggregated view's tile). */
  public void putField(byte[] key, byte[] field, byte[] value) {
    hashes
        .computeIfAbsent(ByteBuffer.wrap(key), k -> new java.util.LinkedHashMap<>())
        .put(field, value);
  }

  /** Holds every later read until the returned future is completed. */
  public CompletableFuture<Void> hold() {
    gate = new CompletableFuture<>();
    return gate;
  }

  public CompletableFuture<Void> gate() {
    return gate;
  }

  public int reads() {
    return reads;
  }

  @Override
  public CompletableFuture<List<byte[]>> read(List<byte[]> keys) {
    reads++;
    return gate.thenApply(
        ignored -> {
          List<byte[]> answer = new ArrayList<>(keys.size());
          for (byte[] key : keys) {
            answer.add(values.get(ByteBuffer.wrap(key)));
          }
          return answer;
        });
  }

  @Override
  public CompletableFuture<OnlineRead> read(List<byte[]> keys, List<byte[]> hashKeys) {
    CompletableFuture<List<byte[]>> plain = read(keys);
    return plain.thenApply(
        answer -> {
          List<Map<byte[], byte[]>> found = new ArrayList<>(hashKeys.size());
          for (byte[] key : hashKeys) {
            found.add(hashes.getOrDefault(ByteBuffer.wrap(key), Map.of()));
          }
          return new OnlineRead(answer, found);
        });
  }

  @Override
  public CompletableFuture<String> ping() {
    return CompletableFuture.completedFuture("PONG");
  }

  @Override
  public String description() {
    return "memory";
  }

  @Override
  public void close() {}
}
