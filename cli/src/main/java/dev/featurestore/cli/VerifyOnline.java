/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.online.lookup.ValueEncoding;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * What the online service answered for a view's sampled entities, looked up through {@link
 * OnlineFeatureService} in requests of {@value Verifier#BATCH} entities, with values as the codec
 * decodes them.
 *
 * @param served per entity, whether a value is served (status PRESENT or NULL_VALUE); for an
 *     aggregated view, whether some aggregation's window also covers an event (an entity whose
 *     tiles all lie outside the windows is served counts of 0 and nulls: nothing)
 * @param eventMicros per entity, the event timestamp of the value stored (the epoch when none is);
 *     for an aggregated view, the newest event any window covers
 * @param featureEventMicros per entity, each feature's event timestamp (the same for every feature
 *     of a plain view; for an aggregated view, the newest event its window covers)
 * @param values per entity, the view's feature values in order (null where none is served)
 */
record VerifyOnline(
    boolean[] served,
    long[] eventMicros,
    List<long[]> featureEventMicros,
    List<List<Object>> values) {
  /** Values as the codec decodes them (join keys echoed as given). */
  static final ValueEncoding DECODED =
      new ValueEncoding() {
        @Override
        public List<Object> joinKey(String name, List<Object> values) {
          return values;
        }

        @Override
        public Object feature(ValueType type, Object value) {
          return value;
        }
      };

  static VerifyOnline lookup(
      OnlineFeatureService service,
      FeatureView view,
      List<JoinKey> joinKeys,
      List<List<Object>> entities) {
    int rows = entities.size();
    boolean[] served = new boolean[rows];
    long[] eventMicros = new long[rows];
    List<long[]> featureEventMicros = new ArrayList<>(rows);
    List<List<Object>> values = new ArrayList<>(rows);
    List<String> references =
        view.features().stream().map(f -> view.name() + ":" + f.name()).toList();
    for (int from = 0; from < rows; from += Verifier.BATCH) {
      int to = Math.min(rows, from + Verifier.BATCH);
      Map<String, List<Object>> columns = new LinkedHashMap<>();
      for (int k = 0; k < joinKeys.size(); k++) {
        List<Object> column = new ArrayList<>(to - from);
        for (List<Object> entity : entities.subList(from, to)) {
          Object value = entity.get(k);
          column.add(
              value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value);
        }
        columns.put(joinKeys.get(k).name(), column);
      }
      GetOnlineFeaturesResponse response;
      try {
        response =
            service
                .lookup(new GetOnlineFeaturesRequest(references, null, columns, true), DECODED)
                .join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof FeatureStoreException f ? f : e;
      }
      List<GetOnlineFeaturesResponse.FeatureVector> results = response.results();
      int first = joinKeys.size();
      for (int r = 0; r < to - from; r++) {
        FieldStatus status = results.get(first).statuses().get(r);
        int features = view.features().size();
        long[] events = new long[features];
        long newest = Long.MIN_VALUE;
        List<Object> row = new ArrayList<>(features);
        for (int f = 0; f < features; f++) {
          row.add(results.get(first + f).values().get(r));
          events[f] =
              VerifyValues.micros(Instant.parse(results.get(first + f).eventTimestamps().get(r)));
          newest = Math.max(newest, events[f]);
        }
        served[from + r] =
            (status == FieldStatus.PRESENT || status == FieldStatus.NULL_VALUE)
                && (!view.isAggregated() || newest != 0);
        eventMicros[from + r] = newest;
        featureEventMicros.add(events);
        values.add(row);
      }
    }
    return new VerifyOnline(served, eventMicros, featureEventMicros, values);
  }
}
