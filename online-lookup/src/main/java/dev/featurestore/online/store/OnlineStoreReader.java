/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads raw online-store values; one call is one round trip to the store. */
public interface OnlineStoreReader extends AutoCloseable {
  /**
   * Reads the values of keys in one round trip. The list answers the keys in order, with null for a
   * missing key. Never blocks: failures (store down, no answer within the configured timeout,
   * credentials refused) complete the future with a {@code FeatureStoreException} (UNAVAILABLE)
   * whose message says what to do.
   */
  CompletableFuture<List<byte[]>> read(List<byte[]> keys);

  /**
   * Reads the values of {@code keys} (as {@link #read(List)}) and the whole hashes at {@code
   * hashKeys} (an aggregated view's tiles) in one pipelined round trip: every command is sent
   * before any answer is awaited. Fails as {@link #read(List)} does.
   *
   * @return the values, null for a missing key, and the hashes as field-to-value maps, empty for a
   *     missing key; each in the order of its keys
   */
  CompletableFuture<OnlineRead> read(List<byte[]> keys, List<byte[]> hashKeys);

  /** Checks the store answers; completes with its reply or, as {@link #read}, exceptionally. */
  CompletableFuture<String> ping();

  /** Where the store is, with any password redacted. */
  String description();

  @Override
  void close();
}
