/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Walks SnakeYAML nodes of one file, collecting problems with their line and column. */
final class NodeReader {
  private final String file;
  private final List<Problem> problems;

  NodeReader(String file, List<Problem> problems) {
    this.file = file;
    this.problems = problems;
  }

  String file() {
    return file;
  }

  Location at(Node node) {
    return new Location(
        file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
  }

  void problem(Node node, String message, String hint) {
    Location location = at(node);
    problems.add(new Problem(file, location.line(), location.column(), message, hint));
  }

  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return isNull(node) ? "empty" : "a scalar";
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  /**
   * Reads a mapping with a known set of keys: reports unknown keys (with the closest valid key) and
   * duplicate keys. Returns empty (after reporting) when the node is not a mapping.
   */
  Optional<Fields> mapping(Node node, String what, List<String> allowedKeys) {
    if (!(node instanceof MappingNode mapping)) {
      problem(node, what + " must be a mapping, not " + kind(node), "");
      return Optional.empty();
    }
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar)) {
        problem(keyNode, "keys of " + what + " must be plain names, not " + kind(keyNode), "");
        continue;
      }
      String key = scalar.getValue();
      if (!allowedKeys.contains(key)) {
        problem(keyNode, "unknown key '" + key + "' in " + what, keyHint(key, allowedKeys));
      } else if (entries.containsKey(key)) {
        problem(
            keyNode,
            "duplicate key '" + key + "' in " + what,
            "first given at " + at(entries.get(key).getKeyNode()));
      } else {
        entries.put(key, tuple);
      }
    }
    return Optional.of(new Fields(this, mapping, what, entries));
  }

  private static String keyHint(String key, List<String> allowedKeys) {
    return Names.closest(key, allowedKeys)
        .map(c -> "did you mean '" + c + "'?")
        .orElse("valid keys: " + String.join(", ", allowedKeys));
  }

  /** Reads a list; reports and returns empty when the node is not a list. */
  Optional<List<Node>> list(Node node, String what) {
    if (node instanceof SequenceNode sequence) {
      return Optional.of(sequence.getValue());
    }
    problem(node, what + " must be a list, not " + kind(node), "");
    return Optional.empty();
  }

  /** Reads a non-empty scalar; reports and returns empty otherwise. */
  Optional<String> string(Node node, String what) {
    if (node instanceof ScalarNode scalar && !isNull(node)) {
      String value = scalar.getValue().trim();
      if (!value.isEmpty()) {
        return Optional.of(value);
      }
    }
    problem(node, what + " must be a non-empty string, not " + kind(node), "");
    return Optional.empty();
  }

  /** The checked entries of one mapping. */
  static final class Fields {
    private final NodeReader reader;
    private final MappingNode node;
    private final String what;
    private final Map<String, NodeTuple> entries;

    Fields(NodeReader reader, MappingNode node, String what, Map<String, NodeTuple> entries) {
      this.reader = reader;
      this.node = node;
      this.what = what;
      this.entries = entries;
    }

    MappingNode node() {
      return node;
    }

    /** The value of a key; absent (or explicitly empty) values are empty. */
    Optional<Node> value(String key) {
      NodeTuple tuple = entries.get(key);
      if (tuple == null || isNull(tuple.getValueNode())) {
        return Optional.empty();
      }
      return Optional.of(tuple.getValueNode());
    }

    /** The value of a required key; reports it missing at the mapping's start. */
    Optional<Node> required(String key) {
      Optional<Node> value = value(key);
      if (value.isEmpty()) {
        NodeTuple tuple = entries.get(key);
        reader.problem(
            tuple == null ? node : tuple.getKeyNode(),
            what
                + (tuple == null ? " is missing required key '" : " has no value for '")
                + key
                + "'",
            "");
      }
      return value;
    }

    Optional<String> string(String key) {
      return value(key).flatMap(v -> reader.string(v, "'" + key + "' of " + what));
    }

    Optional<String> requiredString(String key) {
      return required(key).flatMap(v -> reader.string(v, "'" + key + "' of " + what));
    }

    /** Reads {@code true}/{@code false}. */
    Optional<Boolean> bool(String key) {
      Optional<Node> value = value(key);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (value.get() instanceof ScalarNode scalar) {
        String text = scalar.getValue().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
          return Optional.of(Boolean.parseBoolean(text));
        }
      }
      reader.problem(value.get(), "'" + key + "' of " + what + " must be true or false", "");
      return Optional.empty();
    }
  }
}
