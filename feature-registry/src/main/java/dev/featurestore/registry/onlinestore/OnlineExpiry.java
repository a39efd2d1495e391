/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import dev.featurestore.registry.definition.FeatureView;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The expiry rule of the online store, per feature view (one Redis key per entity and view, so one
 * view's writes never extend another view's lifetime):
 *
 * <ul>
 *   <li>A value is <em>served</em> while {@code now - event timestamp <= ttl}; older, the online
 *       service answers OUTSIDE_MAX_AGE with a null value.
 *   <li>Its key is <em>removed</em> by Redis at {@code event timestamp + ttl + grace} (PEXPIREAT,
 *       set with every write). The grace keeps OUTSIDE_MAX_AGE distinguishable from NOT_FOUND for a
 *       while; it defaults to the TTL itself.
 *   <li>A view without a TTL never expires.
 * </ul>
 */
public final class OnlineExpiry {
  private OnlineExpiry() {}

  /** The default grace: as long as the TTL. */
  public static Duration defaultGrace(FeatureView view) {
    return view.ttl();
  }

  /**
   * Returns the epoch milliseconds at which a value's key should be removed, or empty when the view
   * has no TTL.
   */
  public static OptionalLong expireAtMillis(FeatureView view, long eventMicros, Duration grace) {
    if (view.ttl().isZero()) {
      return OptionalLong.empty();
    }
    long eventMillis = Math.floorDiv(eventMicros, 1000L);
    return OptionalLong.of(
        Math.addExact(eventMillis, Math.addExact(view.ttl().toMillis(), grace.toMillis())));
  }

  /** Returns whether a value is still served at {@code nowMicros} (a value exactly ttl old is). */
  public static boolean isServed(FeatureView view, long eventMicros, long nowMicros) {
    if (view.ttl().isZero()) {
      return true;
    }
    long ttlMicros = Math.multiplyExact(view.ttl().toMillis(), 1000L);
    return nowMicros - eventMicros <= ttlMicros;
  }
}
