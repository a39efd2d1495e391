/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ParquetSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders definitions in the definition file format (for tests that need a repo on disk). */
public final class DefinitionsYaml {
  private DefinitionsYaml() {}

  /** Returns one definition file holding every object. */
  public static String of(Definitions definitions) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("entities:\n");
    for (Entity entity : definitions.entities()) {
      yaml.append("  - name: ").append(entity.name()).append('\n');
      yaml.append("    join_keys: {")
          .append(
              entity.joinKeys().stream()
                  .map((JoinKey k) -> k.name() + ": " + k.type())
                  .collect(Collectors.joining(", ")))
          .append("}\n");
      description(yaml, entity.description());
    }
    yaml.append("sources:\n");
    for (ParquetSource source : definitions.sources()) {
      yaml.append("  - name: ").append(source.name()).append('\n');
      yaml.append("    parquet: ").append(source.path()).append('\n');
      yaml.append("    timestamp_field: ").append(source.timestampField()).append('\n');
      source
          .createdTimestampField()
          .ifPresent(c -> yaml.append("    created_timestamp_field: ").append(c).append('\n'));
      if (source.acceptsPushes()) {
        yaml.append("    push: true\n");
      }
      description(yaml, source.description());
    }
    yaml.append("feature_views:\n");
    for (FeatureView view : definitions.featureViews()) {
      yaml.append("  - name: ").append(view.name()).append('\n');
      yaml.append("    entities: [").append(String.join(", ", view.entities())).append("]\n");
      yaml.append("    source: ").append(view.source()).append('\n');
      if (!view.isAggregated()) {
        yaml.append("    ttl: ").append(Durations.format(view.ttl())).append('\n');
      }
      yaml.append("    online: ").append(view.online()).append('\n');
      view.aggregations().ifPresent(a -> aggregations(yaml, a));
      if (!view.isAggregated()) {
        yaml.append("    features:\n");
      }
      for (Feature feature : view.isAggregated() ? List.<Feature>of() : view.features()) {
        yaml.append("      - name: ").append(feature.name()).append('\n');
        yaml.append("        type: \"").append(feature.type()).append("\"\n");
        yaml.append("        source_column: ").append(feature.sourceColumn()).append('\n');
        if (!feature.description().isEmpty()) {
          yaml.append("        description: \"").append(feature.description()).append("\"\n");
        }
        checks(yaml, feature.checks());
      }
      if (!view.tags().isEmpty()) {
        yaml.append("    tags:\n");
        view.tags()
            .forEach(
                (k, v) -> yaml.append("      ").append(k).append(": \"").append(v).append("\"\n"));
      }
      description(yaml, view.description());
      view.freshness()
          .ifPresent(f -> yaml.append("    freshness: ").append(Durations.format(f)).append('\n'));
    }
    yaml.append("feature_services:\n");
    for (FeatureService service : definitions.featureServices()) {
      yaml.append("  - name: ").append(service.name()).append('\n');
      yaml.append("    features:\n");
      service.features().forEach(r -> yaml.append("      - \"").append(r).append("\"\n"));
      description(yaml, service.description());
    }
    return yaml.toString();
  }

  private static void aggregations(StringBuilder yaml, Aggregations aggregations) {
    yaml.append("    aggregation_interval: ")
        .append(Durations.format(aggregations.interval()))
        .append('\n');
    yaml.append("    aggregations:\n");
    for (Aggregation a : aggregations.aggregations()) {
      yaml.append("      - name: ").append(a.name()).append('\n');
      yaml.append("        function: ").append(a.function()).append('\n');
      a.column().ifPresent(c -> yaml.append("        column: ").append(c).append('\n'));
      a.columnType().ifPresent(t -> yaml.append("        type: \"").append(t).append("\"\n"));
      yaml.append("        window: ").append(Durations.format(a.window())).append('\n');
      if (a.n() != 0) {
        yaml.append("        n: ").append(a.n()).append('\n');
      }
      if (!a.description().isEmpty()) {
        yaml.append("        description: \"").append(a.description()).append("\"\n");
      }
    }
  }

  private static void checks(StringBuilder yaml, FeatureChecks checks) {
    if (checks.isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    checks.min().ifPresent(v -> parts.add("min: " + FeatureChecks.number(v)));
    checks.max().ifPresent(v -> parts.add("max: " + FeatureChecks.number(v)));
    checks
        .maxNullFraction()
        .ifPresent(v -> parts.add("max_null_fraction: " + FeatureChecks.number(v)));
    if (!checks.allowed().isEmpty()) {
      parts.add(
          "allowed: ["
              + checks.allowed().stream()
                  .map(a -> "\"" + a + "\"")
                  .collect(Collectors.joining(", "))
              + "]");
    }
    yaml.append("        checks: {").append(String.join(", ", parts)).append("}\n");
  }

  private static void description(StringBuilder yaml, String description) {
    if (!description.isEmpty()) {
      yaml.append("    description: \"").append(description).append("\"\n");
    }
  }
}
