/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine-readable form of a {@link Plan}, printed by {@code plan --json}. The shape is stable
 * (a change to it increments {@link #FORMAT_VERSION}); keys always appear, in this order, with
 * {@code null} where a value is absent:
 *
 * <pre>{@code
 * {
 *   "format_version": 1,
 *   "project": "rides",
 *   "base": {"version": 1, "applied_at": "2026-11-22T08:17:49.659Z", "content_hash": "7f8a..."},
 *   "summary": {"added": 0, "changed": 1, "removed": 0, "breaking": 1},
 *   "breaking": true,
 *   "changes": [
 *     {"type": "changed", "kind": "feature_view", "name": "driver_hourly_stats",
 *      "path": "feature_views.driver_hourly_stats", "breaking": null,
 *      "fields": [
 *        {"path": "feature_views.driver_hourly_stats.ttl", "before": "2h", "after": "1h",
 *         "breaking": "TTL shortened: values expire sooner"}]}],
 *   "breaking_changes": [
 *     {"path": "feature_views.driver_hourly_stats.ttl",
 *      "reason": "TTL shortened: values expire sooner"}],
 *   "notes": []
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code base}: the applied version the plan compares with; {@code null} before the first
 *       apply.
 *   <li>{@code changes}: one per added, changed or removed object, in plan order (entities,
 *       sources, feature views, feature services, each by name). {@code type} is {@code added},
 *       {@code changed} or {@code removed}; {@code kind} is {@code entity}, {@code source}, {@code
 *       feature_view} or {@code feature_service}; {@code breaking} is the reason an added or
 *       removed object breaks consumers, else {@code null}; {@code fields} lists a changed object's
 *       changed fields (empty otherwise), {@code before}/{@code after} being {@code null} for an
 *       added/removed field.
 *   <li>{@code breaking_changes}: every breaking change (objects and fields) as one flat list, in
 *       plan order, for gates; {@code breaking} is true when it is not empty.
 *   <li>{@code notes}: what could not be checked (e.g. a source with no data yet).
 * </ul>
 */
public final class PlanJson {
  /** The version of this shape; incremented on any change to it. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanJson() {}

  /** Returns the JSON tree of a plan. */
  public static ObjectNode toJson(Plan plan) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("project", plan.definitions().project());
    plan.base()
        .ifPresentOrElse(
            v -> {
              ObjectNode base = root.putObject("base");
              base.put("version", v.number());
              base.put("applied_at", v.appliedAt().toString());
              base.put("content_hash", v.contentHash());
            },
            () -> root.putNull("base"));
    ObjectNode summary = root.putObject("summary");
    summary.put("added", count(plan, Change.Type.ADDED));
    summary.put("changed", count(plan, Change.Type.CHANGED));
    summary.put("removed", count(plan, Change.Type.REMOVED));
    summary.put("breaking", plan.breakingCount());
    root.put("breaking", plan.isBreaking());
    ArrayNode changes = root.putArray("changes");
    for (Change change : plan.changes()) {
      ObjectNode node = changes.addObject();
      node.put("type", change.type().name().toLowerCase(Locale.ROOT));
      node.put("kind", change.kind().label());
      node.put("name", change.name());
      node.put("path", change.path());
      put(node, "breaking", change.breaking());
      ArrayNode fields = node.putArray("fields");
      for (FieldChange field : change.fields()) {
        ObjectNode fieldNode = fields.addObject();
        fieldNode.put("path", field.path());
        put(fieldNode, "before", field.before());
        put(fieldNode, "after", field.after());
        put(fieldNode, "breaking", field.breaking());
      }
    }
    ArrayNode breaking = root.putArray("breaking_changes");
    for (BreakingChange change : plan.breakingChanges()) {
      breaking.addObject().put("path", change.path()).put("reason", change.reason());
    }
    ArrayNode notes = root.putArray("notes");
    plan.notes().forEach(notes::add);
    return root;
  }

  /** Returns the plan as indented JSON, ending with a newline. */
  public static String render(Plan plan) {
    try {
      return MAPPER.writeValueAsString(toJson(plan)) + "\n";
    } catch (JsonProcessingException e) {
      throw FeatureStoreException.of(
          ErrorCode.INTERNAL_ERROR, e, "Cannot write the plan as JSON: %s", e.getMessage());
    }
  }

  private static long count(Plan plan, Change.Type type) {
    return plan.changes().stream().filter(c -> c.type() == type).count();
  }

  private static void put(ObjectNode node, String key, Optional<String> value) {
    value.ifPresentOrElse(v -> node.put(key, v), () -> node.putNull(key));
  }
}
