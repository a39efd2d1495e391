/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.snapshot;

import static java.util.Objects.requireNonNull;

import dev.featurestore.aggregation.TileLayout;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import java.util.List;
import java.util.Optional;

/**
 * What reading one feature view needs, computed once per registry version: its join keys, the view
 * tag of its Redis keys, its value codec and, for an aggregated view, the layout of its tiles.
 *
 * @param tiles the layout of the view's tiles when it is aggregated (its key is then a hash of
 *     tiles, read with HGETALL, not a value); empty for a plain view
 */
public record ViewReader(
    FeatureView view,
    List<JoinKey> joinKeys,
    byte[] viewTag,
    OnlineValueCodec codec,
    Optional<TileLayout> tiles) {
  public ViewReader {
    requireNonNull(view, "view is null");
    joinKeys = List.copyOf(requireNonNull(joinKeys, "joinKeys is null"));
    requireNonNull(viewTag, "viewTag is null");
    requireNonNull(codec, "codec is null");
    requireNonNull(tiles, "tiles is null");
  }

  static ViewReader of(String project, FeatureView view, List<JoinKey> joinKeys) {
    return new ViewReader(
        view,
        joinKeys,
        OnlineKeys.viewTag(project, view.name()),
        new OnlineValueCodec(project, view),
        view.isAggregated() ? Optional.of(TileLayout.of(view)) : Optional.empty());
  }

  /** Whether the view is aggregated: its key holds a hash of tiles. */
  public boolean isAggregated() {
    return tiles.isPresent();
  }

  /** Returns the Redis key of this view for join key values in {@link #joinKeys()} order. */
  public byte[] key(List<?> joinKeyValues) {
    return OnlineKeys.key(OnlineKeys.entityKey(joinKeys, joinKeyValues), viewTag);
  }
}
