/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The current values of a view as served online for sampled entities, profiled on the driver (a
 * sample is small) by the same rules as the offline side: numbers and timestamps (epoch seconds) as
 * doubles, strings and bools as strings.
 */
final class ServedCurrentValues implements CurrentValues {
  private final ServedValues served;
  private final Instant lookupTime;

  ServedCurrentValues(ServedValues served, Instant lookupTime) {
    this.served = requireNonNull(served, "served is null");
    this.lookupTime = requireNonNull(lookupTime, "lookupTime is null");
  }

  @Override
  public String against() {
    return DriftReport.ONLINE;
  }

  @Override
  public Optional<Instant> start() {
    return Optional.empty();
  }

  @Override
  public Instant end() {
    return lookupTime;
  }

  @Override
  public Profiles profile(FeatureView view, List<DriftFeature> features, Profiles empty) {
    List<List<Object>> entities =
        served.values(view, features.stream().map(f -> f.resolved().feature()).toList());
    if (entities.isEmpty()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DATA,
          "Cannot compute drift of feature view '%s' against online: no entity of it is in the"
              + " online store; materialize it first (featurestore materialize-incremental --repo"
              + " DIR --end now), or compare --against offline",
          view.name());
    }
    List<Row> rows = new ArrayList<>(entities.size());
    for (List<Object> entity : entities) {
      Object[] values = new Object[features.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = compared(features.get(i).type(), entity.get(i));
      }
      rows.add(RowFactory.create(values));
    }
    return empty.of(rows);
  }

  /** A served value as compared (see the class comment); null stays null. */
  static Object compared(ValueType type, Object value) {
    if (value == null) {
      return null;
    }
    if (type == ValueType.TIMESTAMP) {
      Instant instant =
          value instanceof Instant i ? i : value instanceof Date d ? d.toInstant() : null;
      return instant != null
          ? instant.getEpochSecond() + instant.getNano() / 1e9
          : ((Number) value).longValue() / 1e6;
    }
    if (Comparison.of(type) == Comparison.NUMBER) {
      return ((Number) value).doubleValue();
    }
    return value.toString();
  }
}
