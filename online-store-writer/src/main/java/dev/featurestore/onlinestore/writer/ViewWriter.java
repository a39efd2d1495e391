/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.onlinestore.writer;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.onlinestore.OnlineExpiry;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes one feature view's rows to the online store, as the materializer and the push endpoints
 * both do: keys from the registry's {@link OnlineKeys}, values from its {@link OnlineValueCodec},
 * the removal time from {@link OnlineExpiry}, and the write through a {@link NewerWinsWriter} (the
 * newer-wins Lua script). A row whose key would already be removed is skipped, not written.
 *
 * <p>Thread-safe as the codec is (it keeps one encoder per thread); the {@link NewerWinsWriter} it
 * writes through is not.
 */
public final class ViewWriter {
  private final FeatureView view;
  private final List<JoinKey> joinKeys;
  private final OnlineValueCodec codec;
  private final byte[] viewTag;
  private final Duration grace;
  private final long nowMillis;

  /**
   * @param project the project, for the key and the value's schema fingerprint
   * @param view the view
   * @param joinKeys the view's join keys, in key order
   * @param grace how long after a value stops being served Redis removes it ({@link
   *     OnlineExpiry#defaultGrace} unless configured)
   * @param nowMillis the write time: rows whose key would be removed by then are skipped
   */
  public ViewWriter(
      String project, FeatureView view, List<JoinKey> joinKeys, Duration grace, long nowMillis) {
    this(project, view, joinKeys, new OnlineValueCodec(project, view), grace, nowMillis);
  }

  /**
   * A writer with a codec already made for the view (building one derives the view's Avro schema,
   * which a caller writing a few rows at a time, such as a push, should not repeat per request).
   */
  public ViewWriter(
      String project,
      FeatureView view,
      List<JoinKey> joinKeys,
      OnlineValueCodec codec,
      Duration grace,
      long nowMillis) {
    requireNonNull(project, "project is null");
    this.view = requireNonNull(view, "view is null");
    this.joinKeys = List.copyOf(joinKeys);
    this.codec = requireNonNull(codec, "codec is null");
    this.viewTag = OnlineKeys.viewTag(project, view.name());
    this.grace = requireNonNull(grace, "grace is null");
    this.nowMillis = nowMillis;
  }

  /** The view written. */
  public FeatureView view() {
    return view;
  }

  /** The entity part of a key, from the join key values in key order. */
  public byte[] entityKey(List<?> keyValues) {
    return OnlineKeys.entityKey(joinKeys, keyValues);
  }

  /** Encodes a row's features (view order) with its event and created timestamps (epoch µs). */
  public byte[] encode(
      OnlineValueCodec.FeatureValues values, long eventMicros, OptionalLong createdMicros) {
    return codec.encode(values, eventMicros, createdMicros);
  }

  /**
   * Encodes a row's boxed features (view order), as {@link OnlineValueCodec#encode(List, long,
   * OptionalLong)} converts them.
   */
  public byte[] encode(List<?> values, long eventMicros, OptionalLong createdMicros) {
    return codec.encode(values, eventMicros, createdMicros);
  }

  /**
   * Queues the write of an encoded value, with the view's removal time.
   *
   * @return false when the value was skipped because its key would already be removed
   */
  public boolean write(NewerWinsWriter writer, byte[] entityKey, byte[] value, long eventMicros)
      throws InterruptedException {
    OptionalLong expireAt = OnlineExpiry.expireAtMillis(view, eventMicros, grace);
    if (expireAt.isPresent() && expireAt.getAsLong() <= nowMillis) {
      return false;
    }
    writer.write(OnlineKeys.key(entityKey, viewTag), value, expireAt.orElse(0));
    return true;
  }
}
