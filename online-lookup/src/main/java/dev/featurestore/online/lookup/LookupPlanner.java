/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.online.snapshot.ViewReader;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ResolvedFeature;
import dev.featurestore.registry.definition.ValueType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates a request against one registry snapshot and turns it into a {@link LookupPlan}. */
final class LookupPlanner {
  private LookupPlanner() {}

  static LookupPlan plan(ServingSnapshot snapshot, GetOnlineFeaturesRequest request, int limit) {
    checkEntities(request);
    return plan(snapshot, features(snapshot, request), request, limit);
  }

  static void checkEntities(GetOnlineFeaturesRequest request) {
    if (request.entities() == null) {
      throw RequestException.invalid(
          "'entities' is required, e.g. {\"entities\": {\"driver_id\": [1001, 1002]}}");
    }
  }

  /**
   * The part of a plan that depends only on the snapshot and the features asked for (not on the
   * entities), so it can be reused across requests of a snapshot.
   *
   * @param views the views to read, each once
   * @param required the join key columns the views need, by name
   * @param neededBy for each join key, the first view needing it
   * @param outputs the output columns, or null when {@code outputsError} is set
   * @param outputsError the error of colliding output names, thrown after the entity checks
   */
  record FeaturePlan(
      List<ViewReader> views,
      Map<String, JoinKey> required,
      Map<String, String> neededBy,
      List<LookupPlan.Output> outputs,
      RequestException outputsError) {}

  /** Resolves the features of a request (its entities are checked later, by {@link #plan}). */
  static FeaturePlan features(ServingSnapshot snapshot, GetOnlineFeaturesRequest request) {
    Definitions definitions = snapshot.definitions();
    List<ResolvedFeature> features = resolve(definitions, request);

    Map<String, ViewReader> views = new LinkedHashMap<>();
    Map<String, JoinKey> required = new LinkedHashMap<>();
    Map<String, String> neededBy = new HashMap<>();
    for (ResolvedFeature feature : features) {
      FeatureView view = feature.view();
      if (!view.online()) {
        throw RequestException.invalid(
            "feature view '%s' is not served online (it has online: false)", view.name());
      }
      ViewReader reader = views.computeIfAbsent(view.name(), snapshot::reader);
      for (JoinKey joinKey : reader.joinKeys()) {
        required.putIfAbsent(joinKey.name(), joinKey);
        neededBy.putIfAbsent(joinKey.name(), view.name());
      }
    }
    List<ViewReader> viewList = List.copyOf(views.values());
    try {
      return new FeaturePlan(
          viewList,
          required,
          neededBy,
          outputs(features, viewList, request.hasFullFeatureNames()),
          null);
    } catch (RequestException e) {
      return new FeaturePlan(viewList, required, neededBy, null, e);
    }
  }

  /** Checks and converts a request's entities against its resolved features. */
  static LookupPlan plan(
      ServingSnapshot snapshot,
      FeaturePlan featurePlan,
      GetOnlineFeaturesRequest request,
      int limit) {
    Map<String, JoinKey> required = featurePlan.required();
    Map<String, List<Object>> entities = request.entities();
    checkColumns(entities, required, featurePlan.neededBy());
    // The request's order of the join key columns; any other column is ignored, as Feast's server
    // does (clients send one shared entity dict, request data among it, to several services).
    List<String> names = new ArrayList<>(required.size());
    for (String name : entities.keySet()) {
      if (required.containsKey(name)) {
        names.add(name);
      }
    }
    int rows = checkLengths(names, entities);
    if (rows > limit) {
      throw new RequestException(
          ErrorCode.LIMIT_EXCEEDED,
          String.format(
              "Cannot get online features: %d entity rows exceed the limit of %d per request"
                  + " (featurestore.max-entities); split the request",
              rows, limit));
    }

    Map<String, List<Object>> converted = new HashMap<>();
    for (String name : names) {
      converted.put(name, convert(required.get(name), entities.get(name)));
    }

    List<ViewReader> viewList = featurePlan.views();
    List<byte[]> keys = new ArrayList<>(viewList.size() * rows);
    List<byte[]> hashKeys = new ArrayList<>();
    List<Integer> firstKeys = new ArrayList<>(viewList.size());
    for (ViewReader reader : viewList) {
      // An aggregated view's key is a hash of tiles (HGETALL), a plain view's a value (MGET).
      List<byte[]> viewKeys = reader.isAggregated() ? hashKeys : keys;
      firstKeys.add(viewKeys.size());
      List<JoinKey> joinKeys = reader.joinKeys();
      List<List<Object>> columns = new ArrayList<>(joinKeys.size());
      for (JoinKey joinKey : joinKeys) {
        columns.add(converted.get(joinKey.name()));
      }
      for (int row = 0; row < rows; row++) {
        List<Object> values = new ArrayList<>(columns.size());
        for (List<Object> column : columns) {
          values.add(column.get(row));
        }
        viewKeys.add(reader.key(values));
      }
    }

    if (featurePlan.outputsError() != null) {
      RequestException error = featurePlan.outputsError();
      throw new RequestException(error.errorCode(), error.getMessage());
    }
    List<List<Object>> keyValues = new ArrayList<>(names.size());
    for (String name : names) {
      keyValues.add(converted.get(name));
    }
    return new LookupPlan(
        snapshot,
        rows,
        names,
        keyValues,
        entities.size() - names.size(),
        viewList,
        keys,
        hashKeys,
        firstKeys,
        featurePlan.outputs());
  }

  private static List<ResolvedFeature> resolve(
      Definitions definitions, GetOnlineFeaturesRequest request) {
    // Feast's request model sends "features": [] when a service is named, so an empty list counts
    // as no features.
    List<String> references = request.features();
    boolean hasFeatures = references != null && !references.isEmpty();
    boolean hasService = request.featureService() != null;
    if (hasFeatures && hasService) {
      throw RequestException.invalid("give either 'features' or 'feature_service', not both");
    }
    if (!hasService) {
      if (references == null) {
        throw RequestException.invalid(
            "'features' (a list of \"view:feature\") or 'feature_service' is required");
      }
      if (references.isEmpty()) {
        throw RequestException.invalid(
            "'features' is empty; name at least one \"view:feature\" or a 'feature_service'");
      }
      // A loop, not indexOf(null): an immutable list (List.of) throws on that.
      for (int i = 0; i < references.size(); i++) {
        if (references.get(i) == null) {
          throw RequestException.invalid(
              "'features' has null at index %d; every element must be a \"view:feature\" string",
              i);
        }
      }
    }
    try {
      return hasFeatures
          ? definitions.resolveReferences(references)
          : definitions.resolveService(request.featureService());
    } catch (FeatureStoreException e) {
      throw new RequestException(e);
    }
  }

  private static void checkColumns(
      Map<String, List<Object>> entities,
      Map<String, JoinKey> required,
      Map<String, String> neededBy) {
    for (String name : required.keySet()) {
      if (!entities.containsKey(name)) {
        throw RequestException.invalid(
            "missing join key column '%s' (needed by feature view '%s'); the request has %s%s",
            name,
            neededBy.get(name),
            entities.keySet(),
            Names.closest(name, entities.keySet())
                .map(close -> "; is '" + close + "' meant to be '" + name + "'?")
                .orElse(""));
      }
      if (entities.get(name) == null) {
        throw RequestException.invalid("join key column '%s' is null; give a list of values", name);
      }
    }
  }

  /** The number of entity rows: the length of every join key column. */
  private static int checkLengths(List<String> names, Map<String, List<Object>> entities) {
    int rows = -1;
    String first = null;
    for (String name : names) {
      int size = entities.get(name).size();
      if (rows < 0) {
        rows = size;
        first = name;
      } else if (size != rows) {
        throw RequestException.invalid(
            "join key columns have unequal lengths: '%s' has %d values but '%s' has %d",
            first, rows, name, size);
      }
    }
    return Math.max(rows, 0);
  }

  private static List<Object> convert(JoinKey joinKey, List<Object> values) {
    List<Object> converted = new ArrayList<>(values.size());
    for (int row = 0; row < values.size(); row++) {
      converted.add(convert(joinKey, values.get(row), row));
    }
    return converted;
  }

  private static Object convert(JoinKey joinKey, Object value, int row) {
    if (value == null) {
      throw RequestException.invalid(
          "join key '%s' is null at row %d; every row needs a value of type %s",
          joinKey.name(), row, joinKey.type());
    }
    switch (joinKey.type()) {
      case INT32, INT64 -> {
        long min = joinKey.type() == ValueType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = joinKey.type() == ValueType.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (value instanceof Integer || value instanceof Long) {
          long number = ((Number) value).longValue();
          if (number >= min && number <= max) {
            return number;
          }
        }
        if (value instanceof BigInteger || value instanceof Integer || value instanceof Long) {
          throw RequestException.invalid(
              "join key '%s' is %s, but row %d has %s, which is out of range",
              joinKey.name(), joinKey.type(), row, value);
        }
      }
      case STRING -> {
        if (value instanceof String) {
          return value;
        }
      }
      case BYTES -> {
        if (value instanceof String text) {
          try {
            return Base64.getDecoder().decode(text);
          } catch (IllegalArgumentException e) {
            throw RequestException.invalid(
                "join key '%s' is bytes, but row %d is not base64: %s",
                joinKey.name(), row, e.getMessage());
          }
        }
      }
      default ->
          throw new FeatureStoreException(
              ErrorCode.INTERNAL_ERROR,
              "Cannot use join key '" + joinKey.name() + "' of type " + joinKey.type());
    }
    throw RequestException.invalid(
        "join key '%s' is %s, but row %d has %s (%s)",
        joinKey.name(), joinKey.type(), row, quoted(value), jsonType(value));
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String jsonType(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      return "a number";
    }
    if (value instanceof Number) {
      return "a number with a fraction";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "an object";
  }

  private static List<LookupPlan.Output> outputs(
      List<ResolvedFeature> features, List<ViewReader> views, boolean fullNames) {
    Map<String, Integer> viewIndex = new HashMap<>();
    for (int i = 0; i < views.size(); i++) {
      viewIndex.put(views.get(i).view().name(), i);
    }
    Map<String, String> seen = new HashMap<>();
    Set<String> names = new LinkedHashSet<>();
    List<LookupPlan.Output> outputs = new ArrayList<>(features.size());
    for (ResolvedFeature feature : features) {
      String name = fullNames ? feature.fullName() : feature.feature().name();
      String previous = seen.putIfAbsent(name, feature.view().name());
      if (previous != null || !names.add(name)) {
        throw RequestException.invalid(
            "feature name '%s' is in both feature views '%s' and '%s'; set"
                + " \"full_feature_names\": true to get view__feature names",
            name, previous, feature.view().name());
      }
      FeatureView view = feature.view();
      outputs.add(
          new LookupPlan.Output(
              viewIndex.get(view.name()),
              view.featureNames().indexOf(feature.feature().name()),
              feature.feature(),
              name));
    }
    return outputs;
  }
}
