/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import dev.featurestore.registry.definition.ValueType;
import java.util.List;

/**
 * How the values of an answer are represented: {@link #JSON} for the REST endpoint (what Feast's
 * JSON shows), or a protocol's own value objects (gRPC's {@code feast.types.Value}). The lookup
 * itself (planning, the Redis round trip, statuses, timestamps) is the same for every encoding.
 */
public interface ValueEncoding {
  /** Feast's JSON values ({@link OnlineFeatureService#json}); join keys echoed, bytes as base64. */
  ValueEncoding JSON =
      new ValueEncoding() {
        @Override
        public List<Object> joinKey(String name, List<Object> values) {
          return OnlineFeatureService.echo(values);
        }

        @Override
        public Object feature(ValueType type, Object value) {
          return OnlineFeatureService.json(type, value);
        }
      };

  /**
   * The answer's column of join key {@code name}, from the request's values converted to the key's
   * type (a {@code Long} for int32 and int64 keys, a {@code String}, a {@code byte[]}).
   */
  List<Object> joinKey(String name, List<Object> values);

  /**
   * A feature value of {@code type} as the answer carries it; {@code value} is the decoded value
   * (see {@code OnlineValueCodec}), or null when there is none (then the answer's null).
   */
  Object feature(ValueType type, Object value);
}
