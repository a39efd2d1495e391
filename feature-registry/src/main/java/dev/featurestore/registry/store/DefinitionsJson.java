/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureReference;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The JSON form of {@link Definitions} stored in registry versions. Keys are written in a fixed
 * order and tags sorted, so the compact form is canonical: equal definitions give equal bytes and
 * an equal {@link #contentHash}.
 */
public final class DefinitionsJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private DefinitionsJson() {}

  /** Returns the JSON tree of the definitions. */
  public static ObjectNode toJson(Definitions definitions) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("project", definitions.project());
    ArrayNode entities = root.putArray("entities");
    for (Entity entity : definitions.entities()) {
      entities.add(entity(entity));
    }
    ArrayNode sources = root.putArray("sources");
    for (ParquetSource source : definitions.sources()) {
      sources.add(source(source));
    }
    ArrayNode views = root.putArray("feature_views");
    for (FeatureView view : definitions.featureViews()) {
      views.add(featureView(view));
    }
    ArrayNode services = root.putArray("feature_services");
    for (FeatureService service : definitions.featureServices()) {
      services.add(featureService(service));
    }
    return root;
  }

  /** Returns the JSON of one entity. */
  public static ObjectNode entity(Entity entity) {
    ObjectNode node = MAPPER.createObjectNode().put("name", entity.name());
    ArrayNode keys = node.putArray("join_keys");
    entity
        .joinKeys()
        .forEach(k -> keys.addObject().put("name", k.name()).put("type", k.type().typeName()));
    return node.put("description", entity.description());
  }

  /** Returns the JSON of one source. */
  public static ObjectNode source(ParquetSource source) {
    ObjectNode node =
        MAPPER
            .createObjectNode()
            .put("name", source.name())
            .put("parquet", source.path())
            .put("timestamp_field", source.timestampField())
            .put("created_timestamp_field", source.createdTimestampField().orElse(null));
    if (source.acceptsPushes()) {
      // Only when set, so versions stored before pushes existed keep their bytes and digests.
      node.put("push", true);
    }
    return node.put("description", source.description());
  }

  /** Returns the JSON of one feature view. */
  public static ObjectNode featureView(FeatureView view) {
    ObjectNode node = MAPPER.createObjectNode().put("name", view.name());
    ArrayNode entities = node.putArray("entities");
    view.entities().forEach(entities::add);
    node.put("source", view.source()).put("ttl", Durations.format(view.ttl()));
    node.put("online", view.online());
    ArrayNode features = node.putArray("features");
    for (Feature feature : view.features()) {
      ObjectNode featureNode =
          features
              .addObject()
              .put("name", feature.name())
              .put("type", feature.type().typeName())
              .put("source_column", feature.sourceColumn())
              .put("description", feature.description());
      if (!feature.checks().isEmpty()) {
        // Only when set (like freshness below), so versions stored before checks existed keep
        // their bytes and digests.
        featureNode.set("checks", checks(feature.checks()));
      }
    }
    ObjectNode tags = node.putObject("tags");
    new TreeMap<>(view.tags()).forEach(tags::put);
    node.put("description", view.description());
    view.freshness().ifPresent(f -> node.put("freshness", Durations.format(f)));
    // Only for an aggregated view, so plain views keep their bytes and digests.
    view.aggregations().ifPresent(a -> node.set("aggregations", aggregations(a)));
    return node;
  }

  private static ObjectNode aggregations(Aggregations aggregations) {
    ObjectNode node =
        MAPPER.createObjectNode().put("interval", Durations.format(aggregations.interval()));
    ArrayNode list = node.putArray("aggregations");
    for (Aggregation a : aggregations.aggregations()) {
      ObjectNode item =
          list.addObject()
              .put("name", a.name())
              .put("function", a.function().functionName())
              .put("column", a.column().orElse(null))
              .put("type", a.columnType().map(ValueType::typeName).orElse(null))
              .put("window", Durations.format(a.window()));
      if (a.n() != 0) {
        item.put("n", a.n());
      }
      item.put("description", a.description());
    }
    return node;
  }

  private static Optional<Aggregations> aggregations(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    List<Aggregation> list = new ArrayList<>();
    for (JsonNode a : node.path("aggregations")) {
      String function = text(a, "function");
      list.add(
          new Aggregation(
              text(a, "name"),
              AggregationFunction.fromName(function)
                  .orElseThrow(() -> corrupt("unknown function " + function)),
              a.hasNonNull("column") ? Optional.of(text(a, "column")) : Optional.empty(),
              a.hasNonNull("type") ? Optional.of(type(text(a, "type"))) : Optional.empty(),
              duration(a, "window"),
              a.path("n").asInt(0),
              text(a, "description")));
    }
    return Optional.of(new Aggregations(duration(node, "interval"), list));
  }

  private static Duration duration(JsonNode node, String field) {
    return Durations.parse(text(node, field))
        .orElseThrow(() -> corrupt(field + " " + node.path(field)));
  }

  private static ObjectNode checks(FeatureChecks checks) {
    ObjectNode node = MAPPER.createObjectNode();
    checks.min().ifPresent(v -> node.put("min", v));
    checks.max().ifPresent(v -> node.put("max", v));
    checks.maxNullFraction().ifPresent(v -> node.put("max_null_fraction", v));
    if (!checks.allowed().isEmpty()) {
      ArrayNode allowed = node.putArray("allowed");
      checks.allowed().forEach(allowed::add);
    }
    return node;
  }

  private static FeatureChecks checks(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return FeatureChecks.NONE;
    }
    List<String> allowed = new ArrayList<>();
    node.path("allowed").forEach(v -> allowed.add(v.asText()));
    return new FeatureChecks(
        number(node, "min"), number(node, "max"), number(node, "max_null_fraction"), allowed);
  }

  private static OptionalDouble number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return OptionalDouble.empty();
    }
    if (!value.isNumber()) {
      throw corrupt("check '" + field + "' is not a number in " + node);
    }
    return OptionalDouble.of(value.asDouble());
  }

  /** Returns the JSON of one feature service. */
  public static ObjectNode featureService(FeatureService service) {
    ObjectNode node = MAPPER.createObjectNode().put("name", service.name());
    ArrayNode features = node.putArray("features");
    service.features().forEach(r -> features.add(r.toString()));
    return node.put("description", service.description());
  }

  /** Reads definitions from their JSON tree. */
  public static Definitions fromJson(JsonNode root) {
    List<Entity> entities = new ArrayList<>();
    for (JsonNode node : root.path("entities")) {
      List<JoinKey> keys = new ArrayList<>();
      node.path("join_keys")
          .forEach(k -> keys.add(new JoinKey(text(k, "name"), type(text(k, "type")))));
      entities.add(new Entity(text(node, "name"), keys, text(node, "description")));
    }
    List<ParquetSource> sources = new ArrayList<>();
    for (JsonNode node : root.path("sources")) {
      JsonNode created = node.path("created_timestamp_field");
      sources.add(
          new ParquetSource(
              text(node, "name"),
              text(node, "parquet"),
              text(node, "timestamp_field"),
              created.isTextual() ? Optional.of(created.asText()) : Optional.empty(),
              text(node, "description"),
              node.path("push").asBoolean(false)));
    }
    List<FeatureView> views = new ArrayList<>();
    for (JsonNode node : root.path("feature_views")) {
      List<String> viewEntities = new ArrayList<>();
      node.path("entities").forEach(e -> viewEntities.add(e.asText()));
      List<Feature> features = new ArrayList<>();
      for (JsonNode f : node.path("features")) {
        features.add(
            new Feature(
                text(f, "name"),
                type(text(f, "type")),
                text(f, "source_column"),
                text(f, "description"),
                checks(f.path("checks"))));
      }
      Optional<Aggregations> aggregations = aggregations(node.path("aggregations"));
      if (aggregations.isPresent()) {
        // An aggregated view's features are its aggregations (written for readers of the file).
        features.clear();
      }
      Map<String, String> tags = new LinkedHashMap<>();
      node.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
      views.add(
          new FeatureView(
              text(node, "name"),
              viewEntities,
              text(node, "source"),
              Durations.parse(text(node, "ttl"))
                  .orElseThrow(() -> corrupt("ttl " + node.path("ttl"))),
              node.path("online").asBoolean(true),
              features,
              tags,
              text(node, "description"),
              node.hasNonNull("freshness")
                  ? Optional.of(
                      Durations.parse(text(node, "freshness"))
                          .orElseThrow(() -> corrupt("freshness " + node.path("freshness"))))
                  : Optional.empty(),
              aggregations));
    }
    List<FeatureService> services = new ArrayList<>();
    for (JsonNode node : root.path("feature_services")) {
      List<FeatureReference> references = new ArrayList<>();
      node.path("features").forEach(r -> references.add(FeatureReference.parse(r.asText())));
      services.add(new FeatureService(text(node, "name"), references, text(node, "description")));
    }
    return new Definitions(text(root, "project"), entities, sources, views, services);
  }

  /** Returns the canonical compact JSON bytes of the definitions. */
  public static byte[] canonicalBytes(Definitions definitions) {
    try {
      return MAPPER.writeValueAsString(toJson(definitions)).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new FeatureStoreException(ErrorCode.INTERNAL_ERROR, "Cannot serialize definitions", e);
    }
  }

  /** Returns the SHA-256 (lowercase hex) of the canonical JSON: equal definitions, equal hash. */
  public static String contentHash(Definitions definitions) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes(definitions)));
    } catch (NoSuchAlgorithmException e) {
      throw new FeatureStoreException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw corrupt("field '" + field + "' missing in " + node);
    }
    return value.asText();
  }

  private static ValueType type(String name) {
    return ValueType.fromName(name).orElseThrow(() -> corrupt("unknown type " + name));
  }

  private static FeatureStoreException corrupt(String what) {
    return FeatureStoreException.of(
        ErrorCode.INTERNAL_ERROR, "Cannot read registry definitions: %s", what);
  }
}
