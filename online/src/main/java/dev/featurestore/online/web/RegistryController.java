/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.snapshot.ServingSnapshot;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.FeatureReference;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Read-only JSON views of the registry version being served. */
@RestController
@RequestMapping("/registry")
class RegistryController {
  private final RegistryWatcher registry;

  RegistryController(RegistryWatcher registry) {
    this.registry = registry;
  }

  @GetMapping
  RegistryJson registry() {
    ServingSnapshot snapshot = registry.current();
    Definitions definitions = snapshot.definitions();
    var version = snapshot.version().orElseThrow();
    return new RegistryJson(
        definitions.project(),
        version.number(),
        version.contentHash(),
        version.appliedAt().toString(),
        definitions.entities().size(),
        definitions.featureViews().size(),
        definitions.featureServices().size());
  }

  @GetMapping("/entities")
  List<EntityJson> entities() {
    return definitions().entities().stream().map(EntityJson::of).toList();
  }

  @GetMapping("/entities/{name}")
  EntityJson entity(@PathVariable String name) {
    Definitions definitions = definitions();
    return EntityJson.of(
        definitions
            .entity(name)
            .orElseThrow(
                () ->
                    FeatureStoreException.of(
                        ErrorCode.NOT_FOUND,
                        "Cannot find entity '%s'%s",
                        name,
                        Names.didYouMean(
                            name, definitions.entities().stream().map(Entity::name).toList()))));
  }

  @GetMapping("/feature-views")
  List<FeatureViewJson> featureViews() {
    Definitions definitions = definitions();
    return definitions.featureViews().stream()
        .map(v -> FeatureViewJson.of(definitions, v))
        .toList();
  }

  @GetMapping("/feature-views/{name}")
  FeatureViewJson featureView(@PathVariable String name) {
    Definitions definitions = definitions();
    return FeatureViewJson.of(definitions, definitions.requireFeatureView(name));
  }

  @GetMapping("/feature-services")
  List<FeatureServiceJson> featureServices() {
    return definitions().featureServices().stream().map(FeatureServiceJson::of).toList();
  }

  @GetMapping("/feature-services/{name}")
  FeatureServiceJson featureService(@PathVariable String name) {
    return FeatureServiceJson.of(definitions().requireFeatureService(name));
  }

  private Definitions definitions() {
    return registry.current().definitions();
  }

  record RegistryJson(
      String project,
      long version,
      @JsonProperty("content_hash") String contentHash,
      @JsonProperty("applied_at") String appliedAt,
      int entities,
      @JsonProperty("feature_views") int featureViews,
      @JsonProperty("feature_services") int featureServices) {}

  record KeyJson(String name, String type) {
    static KeyJson of(JoinKey key) {
      return new KeyJson(key.name(), key.type().typeName());
    }
  }

  record EntityJson(
      String name, @JsonProperty("join_keys") List<KeyJson> joinKeys, String description) {
    static EntityJson of(Entity entity) {
      return new EntityJson(
          entity.name(),
          entity.joinKeys().stream().map(KeyJson::of).toList(),
          entity.description());
    }
  }

  record FeatureJson(String name, String type, String description) {}

  record FeatureViewJson(
      String name,
      List<String> entities,
      @JsonProperty("join_keys") List<KeyJson> joinKeys,
      @JsonProperty("ttl_seconds") long ttlSeconds,
      boolean online,
      String source,
      List<FeatureJson> features,
      Map<String, String> tags,
      String description) {
    static FeatureViewJson of(Definitions definitions, FeatureView view) {
      return new FeatureViewJson(
          view.name(),
          view.entities(),
          definitions.joinKeysOf(view).stream().map(KeyJson::of).toList(),
          view.ttl().toSeconds(),
          view.online(),
          view.source(),
          view.features().stream()
              .map(f -> new FeatureJson(f.name(), f.type().typeName(), f.description()))
              .toList(),
          view.tags(),
          view.description());
    }
  }

  record FeatureServiceJson(String name, List<String> features, String description) {
    static FeatureServiceJson of(FeatureService service) {
      return new FeatureServiceJson(
          service.name(),
          service.features().stream().map(FeatureReference::toString).toList(),
          service.description());
    }
  }
}
