/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The incremental materialization watermarks of a registry: per feature view, the end of its last
 * fully written window. A write replaces a view's watermark atomically.
 */
public interface Watermarks {
  /**
   * Returns a view's watermark; empty before its first incremental run.
   *
   * @throws dev.featurestore.registry.FeatureStoreException INTERNAL_ERROR naming where it is
   *     stored when it is unreadable
   */
  Optional<Instant> read(String view);

  /** Stores a view's watermark atomically, replacing the previous one. */
  void write(String view, Instant watermark);

  /** Returns every stored watermark by view name (for {@code registry copy}). */
  Map<String, Instant> all();
}
