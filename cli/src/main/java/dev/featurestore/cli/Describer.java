/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.definition.ResolvedFeature;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.store.DefinitionsJson;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;

/** Prints one object of a registry version as text or JSON. */
final class Describer {
  private final PrintWriter out;
  private final RegistryVersion version;
  private final Definitions definitions;
  private final boolean json;
  private final ArrayNode jsonObjects = RegistryCommand.JSON.createArrayNode();

  private final Registry registry;

  Describer(PrintWriter out, Registry registry, RegistryVersion version, boolean json) {
    this.out = out;
    this.registry = registry;
    this.version = version;
    this.definitions = version.definitions();
    this.json = json;
  }

  void describe(String name) {
    List<Runnable> matches = new ArrayList<>();
    definitions.entity(name).ifPresent(e -> matches.add(() -> entity(e)));
    definitions.source(name).ifPresent(s -> matches.add(() -> source(s)));
    definitions.featureView(name).ifPresent(v -> matches.add(() -> view(v)));
    definitions.featureService(name).ifPresent(s -> matches.add(() -> service(s)));
    if (matches.isEmpty()) {
      List<String> names =
          Stream.of(
                  definitions.entities().stream().map(Entity::name),
                  definitions.sources().stream().map(ParquetSource::name),
                  definitions.featureViews().stream().map(FeatureView::name),
                  definitions.featureServices().stream().map(FeatureService::name))
              .flatMap(s -> s)
              .toList();
      throw FeatureStoreException.of(
          ErrorCode.NOT_FOUND,
          "Cannot describe '%s': version %d has no entity, source, feature view or feature"
              + " service of that name%s",
          name,
          version.number(),
          Names.didYouMean(name, names));
    }
    for (int i = 0; i < matches.size(); i++) {
      if (i > 0 && !json) {
        out.println();
      }
      matches.get(i).run();
    }
    if (json) {
      RegistryCommand.printJson(out, jsonObjects.size() == 1 ? jsonObjects.get(0) : jsonObjects);
    }
  }

  private void entity(Entity entity) {
    List<String> views = viewsWhere(v -> v.entities().contains(entity.name()));
    if (json) {
      add("entity", DefinitionsJson.entity(entity)).set("feature_views", array(views));
      return;
    }
    out.printf("entity %s (version %d)%n", entity.name(), version.number());
    row("join keys", RegistryCommand.joinKeys(entity));
    row("description", entity.description());
    row("feature views", String.join(", ", views));
  }

  private void source(ParquetSource source) {
    List<String> views = viewsWhere(v -> v.source().equals(source.name()));
    if (json) {
      add("source", DefinitionsJson.source(source)).set("feature_views", array(views));
      return;
    }
    out.printf("source %s (version %d)%n", source.name(), version.number());
    row("parquet", source.path());
    row("timestamp field", source.timestampField());
    row("created field", source.createdTimestampField().orElse(""));
    row("description", source.description());
    row("feature views", String.join(", ", views));
  }

  private void view(FeatureView view) {
    // The schema recorded when the version was applied; computed for registries that keep none.
    Long stored = registry.schemaFingerprints(version.number()).get(view.name());
    Schema schema =
        Optional.ofNullable(stored)
            .flatMap(registry::schema)
            .orElseGet(() -> FeatureViewSchemas.schemaOf(definitions.project(), view));
    String fingerprint = FileRegistry.hex(FeatureViewSchemas.fingerprint(schema));
    if (json) {
      ObjectNode node = add("feature_view", DefinitionsJson.featureView(view));
      node.put("avro_schema_fingerprint", fingerprint);
      try {
        JsonNode avro = RegistryCommand.JSON.readTree(schema.toString());
        node.set("avro_schema", avro);
      } catch (IOException e) {
        throw new FeatureStoreException(ErrorCode.INTERNAL_ERROR, "Cannot print schema", e);
      }
      return;
    }
    out.printf("feature_view %s (version %d)%n", view.name(), version.number());
    row(
        "entities",
        definitions.entitiesOf(view).stream()
            .map(e -> e.name() + " (" + RegistryCommand.joinKeys(e) + ")")
            .collect(Collectors.joining(", ")));
    ParquetSource source = definitions.sourceOf(view);
    row("source", source.name() + " (" + source.path() + ")");
    row("ttl", Durations.format(view.ttl()) + (view.ttl().isZero() ? " (no limit)" : ""));
    row("freshness", view.freshness().map(Durations::format).orElse(""));
    row("online", String.valueOf(view.online()));
    row(
        "tags",
        new TreeMap<>(view.tags())
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")));
    row("description", view.description());
    view.aggregations().ifPresent(a -> row("aggregation interval", Durations.format(a.interval())));
    out.println("  features:");
    for (Feature feature : view.features()) {
      String column =
          feature.sourceColumn().equals(feature.name())
              ? ""
              : "(column " + feature.sourceColumn() + ") ";
      out.println(
          String.format(
                  "    %-24s %-15s %s%s",
                  feature.name(), feature.type(), column, feature.description())
              .stripTrailing());
      if (!feature.checks().isEmpty()) {
        out.println("      checks: " + feature.checks().describe());
      }
      view.aggregations()
          .flatMap(a -> a.aggregation(feature.name()))
          .ifPresent(a -> out.println("      aggregation: " + aggregation(a)));
    }
    row("avro schema fingerprint", fingerprint);
    out.println("  avro schema:");
    for (String line : SchemaFormatter.format("json/pretty", schema).split("\n")) {
      out.println("    " + line);
    }
  }

  private void service(FeatureService service) {
    List<ResolvedFeature> features = definitions.resolveService(service.name());
    if (json) {
      ObjectNode node = add("feature_service", DefinitionsJson.featureService(service));
      ArrayNode resolved = node.putArray("resolved_features");
      features.forEach(
          f ->
              resolved
                  .addObject()
                  .put("reference", f.reference())
                  .put("type", f.feature().type().typeName()));
      return;
    }
    out.printf("feature_service %s (version %d)%n", service.name(), version.number());
    row(
        "references",
        service.features().stream().map(Object::toString).collect(Collectors.joining(", ")));
    row("description", service.description());
    out.printf("  features (%d):%n", features.size());
    for (ResolvedFeature feature : features) {
      out.printf("    %-40s %s%n", feature.reference(), feature.feature().type());
    }
  }

  private List<String> viewsWhere(Predicate<FeatureView> test) {
    return definitions.featureViews().stream().filter(test).map(FeatureView::name).toList();
  }

  private ObjectNode add(String kind, ObjectNode definition) {
    ObjectNode node = jsonObjects.addObject();
    node.put("kind", kind);
    node.put("version", version.number());
    node.set("definition", definition);
    return node;
  }

  private static ArrayNode array(List<String> values) {
    ArrayNode array = RegistryCommand.JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  /**
   * {@code sum of fare (float64), window 1d}: the column's type as stored, declared or read from
   * the source by plan/apply.
   */
  private static String aggregation(Aggregation a) {
    return a.function()
        + (a.n() == 0 ? "" : " " + a.n())
        + a.column()
            .map(c -> " of " + c + " (" + a.columnType().orElseThrow() + ")")
            .orElse(" of rows")
        + ", window "
        + Durations.format(a.window());
  }

  private void row(String label, String value) {
    if (!value.isEmpty()) {
      out.printf("  %-24s %s%n", label + ":", value);
    }
  }
}
