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

  /** Checks the store answers; completes with its reply or, as {@link #read}, exceptionally. */
  CompletableFuture<String> ping();

  /** Where the store is, with any password redacted. */
  String description();

  @Override
  void close();
}
