/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.parse.NodeReader.Fields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Parses {@code featurestore.yaml}. */
final class RepoConfigParser {
  static final Pattern PROJECT = Pattern.compile("[a-z0-9_]+");
  static final List<String> KEYS = List.of("project", "registry", "offline", "online");
  static final List<String> OFFLINE_KEYS = List.of("spark_master");
  static final List<String> ONLINE_KEYS = List.of("redis", "cluster", "api_key");
  static final List<String> REGISTRY_KEYS = List.of("location", "password_env");

  private RepoConfigParser() {}

  static RepoConfig parse(String file, String text) {
    List<Problem> problems = new ArrayList<>();
    NodeReader reader = new NodeReader(file, problems);
    Optional<Node> root = Yamls.compose(file, text, problems);
    if (root.isEmpty()) {
      if (problems.isEmpty()) {
        problems.add(new Problem(file, 1, 1, "featurestore.yaml is empty", "add project: <name>"));
      }
      throw new DefinitionException(problems);
    }
    Optional<Fields> fields = reader.mapping(root.get(), "featurestore.yaml", KEYS);
    RepoConfig config = null;
    if (fields.isPresent()) {
      Fields f = fields.get();
      Optional<String> project = f.requiredString("project");
      if (project.isPresent() && !PROJECT.matcher(project.get()).matches()) {
        reader.problem(
            f.value("project").orElseThrow(),
            "invalid project name '" + project.get() + "'",
            "project names use lowercase letters, digits and '_'");
      }
      String registry = RepoConfig.DEFAULT_REGISTRY;
      Map<String, String> registryOptions = new LinkedHashMap<>();
      Optional<Node> registryNode = f.value("registry");
      if (registryNode.isPresent() && registryNode.get() instanceof MappingNode) {
        Optional<Fields> settings =
            reader.mapping(registryNode.get(), "'registry' settings", REGISTRY_KEYS);
        if (settings.isPresent()) {
          registry = settings.get().requiredString("location").orElse(registry);
          settings
              .get()
              .string("password_env")
              .ifPresent(v -> registryOptions.put("password_env", v));
        }
      } else {
        registry = f.string("registry").orElse(registry);
      }
      String sparkMaster =
          f.value("offline")
              .flatMap(v -> reader.mapping(v, "'offline' settings", OFFLINE_KEYS))
              .flatMap(o -> o.string("spark_master"))
              .orElse(RepoConfig.DEFAULT_SPARK_MASTER);
      Optional<RedisConfig> redis = Optional.empty();
      Optional<String> apiKey = Optional.empty();
      Optional<Fields> online =
          f.value("online").flatMap(v -> reader.mapping(v, "'online' settings", ONLINE_KEYS));
      if (online.isPresent()) {
        boolean cluster = online.get().bool("cluster").orElse(false);
        redis = online.get().value("redis").flatMap(v -> redis(reader, v, cluster));
        apiKey = online.get().string("api_key");
      }
      if (problems.isEmpty()) {
        config =
            new RepoConfig(
                project.orElseThrow(), registry, registryOptions, sparkMaster, redis, apiKey);
      }
    }
    if (config == null) {
      problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
      throw new DefinitionException(problems);
    }
    return config;
  }

  private static Optional<RedisConfig> redis(NodeReader reader, Node value, boolean cluster) {
    List<String> uris = new ArrayList<>();
    if (value instanceof SequenceNode sequence) {
      for (Node node : sequence.getValue()) {
        reader.string(node, "a Redis URI").ifPresent(uris::add);
      }
      if (uris.isEmpty()) {
        reader.problem(value, "'redis' lists no URI", "e.g. redis: redis://127.0.0.1:6379");
        return Optional.empty();
      }
    } else {
      reader.string(value, "'redis'").ifPresent(uris::add);
    }
    for (String uri : uris) {
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        reader.problem(
            value,
            "invalid Redis URI '" + uri.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@") + "'",
            "use redis://host:port or rediss://host:port");
        return Optional.empty();
      }
    }
    if (!cluster && uris.size() > 1) {
      reader.problem(
          value,
          "'redis' lists " + uris.size() + " URIs but 'cluster' is not true",
          "set cluster: true to use the URIs as Redis Cluster seed nodes");
      return Optional.empty();
    }
    return Optional.of(new RedisConfig(uris, cluster));
  }
}
