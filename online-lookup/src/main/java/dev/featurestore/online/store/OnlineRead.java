/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What one round trip to the online store read ({@link OnlineStoreReader#read(List, List)}).
 *
 * @param values the values of the plain keys, in order, null for a missing key
 * @param hashes the hashes of the hash keys (an aggregated view's tiles: field to value), in order,
 *     an empty map for a missing key (Redis keeps no empty hash)
 */
public record OnlineRead(List<byte[]> values, List<Map<byte[], byte[]>> hashes) {
  public OnlineRead {
    // Not copied: a read answers thousands of values, and nothing else holds these lists.
    values = Collections.unmodifiableList(requireNonNull(values, "values is null"));
    hashes = Collections.unmodifiableList(requireNonNull(hashes, "hashes is null"));
  }
}
