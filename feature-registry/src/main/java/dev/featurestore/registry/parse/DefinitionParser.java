/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
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
import dev.featurestore.registry.parse.NodeReader.Fields;
import dev.featurestore.registry.parse.ParsedFiles.Declared;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Parses the definitions of one file into {@link ParsedFiles}, reporting per-object problems. */
final class DefinitionParser {
  static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
  static final String IDENTIFIER_HINT =
      "names start with a lowercase letter or '_' followed by lowercase letters, digits or '_'";

  static final List<String> TOP_LEVEL_KEYS =
      List.of("entities", "sources", "feature_views", "feature_services");
  static final List<String> ENTITY_KEYS = List.of("name", "join_keys", "description");
  static final List<String> SOURCE_KEYS =
      List.of(
          "name", "parquet", "timestamp_field", "created_timestamp_field", "push", "description");
  static final List<String> VIEW_KEYS =
      List.of(
          "name",
          "entities",
          "source",
          "ttl",
          "online",
          "features",
          "tags",
          "description",
          "freshness",
          "aggregations",
          "aggregation_interval");
  static final List<String> AGGREGATION_KEYS =
      List.of("name", "function", "column", "window", "n", "type", "description");
  static final List<String> FEATURE_KEYS =
      List.of("name", "type", "source_column", "description", "checks");
  static final List<String> SERVICE_KEYS = List.of("name", "features", "description");

  private final NodeReader reader;
  private final ParsedFiles into;
  private final ChecksParser checks;

  private DefinitionParser(NodeReader reader, ParsedFiles into) {
    this.reader = reader;
    this.into = into;
    this.checks = new ChecksParser(reader);
  }

  /** Parses one file's root node (null for an empty file). */
  static void parse(NodeReader reader, Node root, ParsedFiles into) {
    if (root == null) {
      return;
    }
    new DefinitionParser(reader, into).file(root);
  }

  private void file(Node root) {
    Optional<Fields> top = reader.mapping(root, "definition file", TOP_LEVEL_KEYS);
    if (top.isEmpty()) {
      return;
    }
    items(top.get(), "entities", "entity", this::entity);
    items(top.get(), "sources", "source", this::source);
    items(top.get(), "feature_views", "feature view", this::featureView);
    items(top.get(), "feature_services", "feature service", this::featureService);
  }

  private void items(
      Fields top, String key, String kind, BiFunction<Node, String, Optional<?>> parser) {
    Optional<Node> section = top.value(key);
    Optional<List<Node>> list = section.flatMap(v -> reader.list(v, "'" + key + "'"));
    if (section.isPresent() && list.isEmpty()) {
      // A single object where a list belongs ("entities: {name: driver}"): reported as such, and
      // its name is remembered so that references to it do not add a second problem.
      peekName(section.get()).ifPresent(name -> into.broken(kind).add(name));
    }
    list.ifPresent(
        nodes -> {
          for (Node node : nodes) {
            int before = into.problems().size();
            Optional<String> name = peekName(node);
            Optional<?> parsed =
                parser.apply(node, kind + name.map(n -> " '" + n + "'").orElse(""));
            if ((parsed.isEmpty() || into.problems().size() > before) && name.isPresent()) {
              into.broken(kind).add(name.get());
            }
          }
        });
  }

  private static Optional<String> peekName(Node node) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && key.getValue().equals("name")
            && tuple.getValueNode() instanceof ScalarNode value
            && !NodeReader.isNull(value)) {
          return Optional.of(value.getValue().trim());
        }
      }
    }
    return Optional.empty();
  }

  /** The names of a list's items as written ({@code - name: x}); see {@link Declared}. */
  private static Declared declaredItems(Optional<Node> value) {
    if (value.isEmpty() || !(value.get() instanceof SequenceNode list)) {
      return new Declared(Set.of(), false);
    }
    Set<String> names = new LinkedHashSet<>();
    boolean complete = true;
    for (Node item : list.getValue()) {
      Optional<String> name = peekName(item);
      name.ifPresent(names::add);
      complete &= name.isPresent();
    }
    return new Declared(names, complete);
  }

  /** The keys of a mapping as written ({@code {driver_id: int64}}); see {@link Declared}. */
  private static Declared declaredKeys(Optional<Node> value) {
    if (value.isEmpty() || !(value.get() instanceof MappingNode mapping)) {
      return new Declared(Set.of(), false);
    }
    Set<String> names = new LinkedHashSet<>();
    boolean complete = true;
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && !NodeReader.isNull(key)) {
        names.add(key.getValue().trim());
      } else {
        complete = false;
      }
    }
    return new Declared(names, complete);
  }

  private Optional<String> name(Fields fields, String kind) {
    Optional<String> name = fields.requiredString("name");
    if (name.isPresent() && !IDENTIFIER.matcher(name.get()).matches()) {
      reader.problem(
          fields.value("name").orElseThrow(),
          "invalid " + kind + " name '" + name.get() + "'",
          IDENTIFIER_HINT);
      return Optional.empty();
    }
    return name;
  }

  private Optional<Entity> entity(Node node, String what) {
    Optional<Fields> fields = reader.mapping(node, what, ENTITY_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Location> at = new HashMap<>();
    peekName(node)
        .ifPresent(n -> into.declareJoinKeys(n, declaredKeys(fields.get().value("join_keys"))));
    Optional<String> name = name(fields.get(), "entity");
    List<JoinKey> keys = new ArrayList<>();
    fields.get().required("join_keys").ifPresent(v -> joinKeys(v, what, keys, at));
    Optional<String> description = fields.get().string("description");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Entity entity = new Entity(name.get(), keys, description.orElse(""));
    into.entities().add(new Parsed<>(entity, reader.at(node), at));
    return Optional.of(entity);
  }

  private void joinKeys(Node value, String what, List<JoinKey> keys, Map<String, Location> at) {
    if (!(value instanceof MappingNode mapping)) {
      reader.problem(
          value,
          "'join_keys' of "
              + what
              + " must be a mapping of column name to type, not "
              + NodeReader.kind(value),
          "e.g. join_keys: {driver_id: int64}");
      return;
    }
    if (mapping.getValue().isEmpty()) {
      reader.problem(value, what + " must have at least one join key", "");
    }
    for (NodeTuple tuple : mapping.getValue()) {
      Optional<String> key = reader.string(tuple.getKeyNode(), "a join key name of " + what);
      if (key.isEmpty()) {
        continue;
      }
      if (!IDENTIFIER.matcher(key.get()).matches()) {
        reader.problem(
            tuple.getKeyNode(), "invalid join key name '" + key.get() + "'", IDENTIFIER_HINT);
        continue;
      }
      if (at.containsKey("join_keys." + key.get())) {
        reader.problem(tuple.getKeyNode(), "duplicate join key '" + key.get() + "' in " + what, "");
        continue;
      }
      at.put("join_keys." + key.get(), reader.at(tuple.getKeyNode()));
      Optional<ValueType> type = type(tuple.getValueNode(), "join key '" + key.get() + "'");
      if (type.isPresent() && !type.get().isValidJoinKeyType()) {
        reader.problem(
            tuple.getValueNode(),
            "join key '" + key.get() + "' of " + what + " has type " + type.get(),
            "join key types are int32, int64, string or bytes");
      } else {
        type.ifPresent(t -> keys.add(new JoinKey(key.get(), t)));
      }
    }
  }

  private Optional<ValueType> type(Node node, String what) {
    Optional<String> text = reader.string(node, "the type of " + what);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<ValueType> type = ValueType.fromName(text.get());
    if (type.isEmpty()) {
      String closest =
          Names.closest(text.get(), ValueType.names())
              .map(c -> "did you mean '" + c + "'? ")
              .orElse("");
      reader.problem(
          node,
          "unknown type '" + text.get() + "' for " + what,
          closest + "valid types: " + String.join(", ", ValueType.names()));
    }
    return type;
  }

  private Optional<ParquetSource> source(Node node, String what) {
    Optional<Fields> fields = reader.mapping(node, what, SOURCE_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fields.get();
    Map<String, Location> at = new HashMap<>();
    Optional<String> name = name(f, "source");
    Optional<String> path = f.requiredString("parquet");
    Optional<String> timestamp = f.requiredString("timestamp_field");
    Optional<String> created = f.string("created_timestamp_field");
    Optional<String> description = f.string("description");
    boolean push = f.bool("push").orElse(false);
    for (String key : List.of("parquet", "timestamp_field", "created_timestamp_field", "push")) {
      f.value(key).ifPresent(v -> at.put(key, reader.at(v)));
    }
    Optional<String> label = name.or(() -> peekName(node));
    if (label.isEmpty() || path.isEmpty()) {
      return Optional.empty();
    }
    if (push && ParquetSource.namesFileOrGlob(path.get())) {
      reader.problem(
          f.value("parquet").orElseThrow(),
          "source '"
              + label.get()
              + "' has push: true but its parquet path '"
              + path.get()
              + "' names a file or a glob",
          "a source that accepts pushes must name a folder (pushes to the offline store add"
              + " files to it), e.g. parquet: data/"
              + label.get()
              + "/");
    }
    ParquetSource source =
        new ParquetSource(
            label.get(), path.get(), timestamp.orElse(""), created, description.orElse(""), push);
    if (name.isEmpty() || timestamp.isEmpty()) {
      // Not a definition, but the columns its views read are still checked against its data.
      into.unfinishedSources().add(new Parsed<>(source, reader.at(node), at));
      return Optional.empty();
    }
    into.sources().add(new Parsed<>(source, reader.at(node), at));
    return Optional.of(source);
  }

  private Optional<FeatureView> featureView(Node node, String what) {
    Optional<Fields> fields = reader.mapping(node, what, VIEW_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fields.get();
    Map<String, Location> at = new HashMap<>();
    boolean aggregated = f.value("aggregations").isPresent();
    peekName(node)
        .ifPresent(
            n ->
                into.declareFeatures(
                    n, declaredItems(aggregated ? f.value("aggregations") : f.value("features"))));
    Optional<String> name = name(f, "feature view");
    List<String> entities = new ArrayList<>();
    f.required("entities")
        .flatMap(v -> reader.list(v, "'entities' of " + what))
        .ifPresent(
            nodes -> {
              if (nodes.isEmpty()) {
                reader.problem(f.value("entities").orElseThrow(), what + " has no entities", "");
              }
              for (int i = 0; i < nodes.size(); i++) {
                int index = i;
                reader
                    .string(nodes.get(i), "an entity of " + what)
                    .ifPresent(
                        e -> {
                          at.put("entities[" + index + "]", reader.at(nodes.get(index)));
                          entities.add(e);
                        });
              }
            });
    Optional<String> source = f.requiredString("source");
    f.value("source").ifPresent(v -> at.put("source", reader.at(v)));
    Duration ttl = Duration.ZERO;
    Optional<Node> ttlNode = f.value("ttl");
    if (ttlNode.isPresent()) {
      at.put("ttl", reader.at(ttlNode.get()));
      Optional<String> text = reader.string(ttlNode.get(), "'ttl' of " + what);
      Optional<Duration> parsed = text.flatMap(Durations::parse);
      if (text.isPresent() && parsed.isEmpty()) {
        reader.problem(
            ttlNode.get(),
            "invalid duration '" + text.get() + "'",
            Durations.HINT + " for no limit");
      }
      ttl = parsed.orElse(Duration.ZERO);
    }
    boolean online = f.bool("online").orElse(true);
    List<Feature> features = new ArrayList<>();
    Optional<Aggregations> aggregations = Optional.empty();
    List<UntypedAggregation> untyped = new ArrayList<>();
    if (aggregated) {
      if (f.value("features").isPresent()) {
        reader.problem(
            f.value("aggregations").orElseThrow(),
            what + " has both 'features' and 'aggregations'",
            "a view either reads features or aggregates events; split it into two views");
      }
      if (ttlNode.isPresent()) {
        reader.problem(
            ttlNode.get(),
            what + " has aggregations and a 'ttl'",
            "an aggregated view has no TTL, its windows bound the data; remove 'ttl'");
        ttl = Duration.ZERO;
      }
      aggregations = aggregations(f, what, peekName(node).orElse(""), at, untyped);
    } else {
      f.value("aggregation_interval")
          .ifPresent(
              v ->
                  reader.problem(
                      v,
                      "'aggregation_interval' of " + what + " without 'aggregations'",
                      "the interval is the tile size of aggregations; remove it"));
    }
    Optional<Node> featuresValue = aggregated ? Optional.empty() : f.value("features");
    if (!aggregated && featuresValue.isEmpty()) {
      reader.problem(
          f.node(),
          what + " is missing required key 'features' or 'aggregations'",
          "a view lists its features, or the aggregations it computes from events");
    }
    featuresValue
        .flatMap(v -> reader.list(v, "'features' of " + what))
        .ifPresent(
            nodes -> {
              if (nodes.isEmpty()) {
                reader.problem(f.value("features").orElseThrow(), what + " has no features", "");
              }
              for (Node featureNode : nodes) {
                feature(featureNode, what, at).ifPresent(features::add);
              }
            });
    Map<String, String> tags = tags(f, what);
    Optional<String> description = f.string("description");
    Optional<Duration> freshness = checks.freshness(f, what, at);
    Optional<String> label = name.or(() -> peekName(node));
    if (label.isEmpty()) {
      return Optional.empty();
    }
    FeatureView view =
        new FeatureView(
            label.get(),
            entities,
            source.orElse(""),
            ttl,
            online,
            features,
            tags,
            description.orElse(""),
            freshness,
            aggregations);
    if (name.isEmpty() || source.isEmpty()) {
      // Not a definition, but its references to entities and its features are still checked.
      into.unfinishedViews().add(new Parsed<>(view, reader.at(node), at));
      return Optional.empty();
    }
    Parsed<FeatureView> parsed = new Parsed<>(view, reader.at(node), at);
    into.featureViews().add(parsed);
    into.untypedAggregations(parsed, untyped);
    return Optional.of(view);
  }

  /**
   * The view's aggregations with their column's type; those whose type is read from the source
   * later go to {@code untyped} instead (and the result is present when either has one).
   */
  private Optional<Aggregations> aggregations(
      Fields f,
      String what,
      String view,
      Map<String, Location> at,
      List<UntypedAggregation> untyped) {
    Duration interval = Aggregations.DEFAULT_INTERVAL;
    Optional<Node> intervalNode = f.value("aggregation_interval");
    boolean intervalValid = true;
    if (intervalNode.isPresent()) {
      at.put("aggregation_interval", reader.at(intervalNode.get()));
      Optional<String> text =
          reader.string(intervalNode.get(), "'aggregation_interval' of " + what);
      Optional<Duration> parsed = text.flatMap(Durations::parse);
      if (text.isPresent() && (parsed.isEmpty() || parsed.get().isZero())) {
        reader.problem(
            intervalNode.get(),
            "invalid aggregation interval '" + text.get() + "' of " + what,
            Durations.HINT.replace(" for no limit", "") + ", greater than zero");
      }
      intervalValid = parsed.filter(d -> !d.isZero() && !d.isNegative()).isPresent();
      interval = parsed.filter(d -> !d.isZero() && !d.isNegative()).orElse(interval);
    }
    Optional<List<Node>> nodes =
        f.value("aggregations").flatMap(v -> reader.list(v, "'aggregations' of " + what));
    if (nodes.isEmpty()) {
      return Optional.empty();
    }
    if (nodes.get().isEmpty()) {
      reader.problem(f.value("aggregations").orElseThrow(), what + " has no aggregations", "");
      return Optional.empty();
    }
    List<Aggregation> list = new ArrayList<>();
    for (Node node : nodes.get()) {
      int position = list.size() + untyped.size();
      aggregation(node, what, interval, intervalValid, at)
          .ifPresent(
              spec -> {
                if (spec.isUntyped()) {
                  untyped.add(spec.untyped(view, position));
                } else {
                  list.add(spec.aggregation());
                }
              });
    }
    // The aggregations that parsed, even beside broken ones (the view is reported and so not a
    // definition), so that their columns are still checked against the source in the same run.
    return list.isEmpty() && untyped.isEmpty()
        ? Optional.empty()
        : Optional.of(new Aggregations(interval, list));
  }

  /**
   * One aggregation as written: an {@link Aggregation} unless it has a column without a type, which
   * is then read from the source ({@link UntypedAggregation}).
   */
  private record AggregationSpec(
      String name,
      AggregationFunction function,
      Optional<String> column,
      Optional<ValueType> type,
      Duration window,
      int n,
      String description,
      Location columnAt) {
    boolean isUntyped() {
      return column.isPresent() && type.isEmpty();
    }

    Aggregation aggregation() {
      return new Aggregation(name, function, column, type, window, n, description);
    }

    UntypedAggregation untyped(String view, int position) {
      return new UntypedAggregation(
          view, position, name, function, column.orElseThrow(), window, n, description, columnAt);
    }
  }

  /** Parses one aggregation; empty after a problem. */
  private Optional<AggregationSpec> aggregation(
      Node node,
      String viewWhat,
      Duration interval,
      boolean intervalValid,
      Map<String, Location> at) {
    Optional<String> peeked = peekName(node);
    String what =
        peeked.map(n -> "aggregation '" + n + "' of ").orElse("an aggregation of ") + viewWhat;
    Optional<Fields> fields = reader.mapping(node, what, AGGREGATION_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fields.get();
    boolean ok = true;
    Optional<String> name = f.requiredString("name");
    if (name.isPresent()) {
      Node nameNode = f.value("name").orElseThrow();
      if (name.get().startsWith("__")) {
        reader.problem(
            nameNode,
            "aggregation name '" + name.get() + "' is reserved",
            "names starting with '__' are reserved for internal columns");
        name = Optional.empty();
      } else if (!IDENTIFIER.matcher(name.get()).matches()) {
        reader.problem(nameNode, "invalid aggregation name '" + name.get() + "'", IDENTIFIER_HINT);
        name = Optional.empty();
      } else if (at.containsKey("features." + name.get())) {
        reader.problem(
            nameNode,
            "duplicate aggregation '" + name.get() + "' in " + viewWhat,
            "first defined at " + at.get("features." + name.get()));
        name = Optional.empty();
      } else {
        at.put("features." + name.get(), reader.at(node));
      }
    }
    Optional<AggregationFunction> function = Optional.empty();
    Optional<Node> functionNode = f.required("function");
    Optional<String> functionText =
        functionNode.flatMap(v -> reader.string(v, "'function' of " + what));
    if (functionText.isPresent()) {
      function = AggregationFunction.fromName(functionText.get());
      if (function.isEmpty()) {
        String closest =
            Names.closest(functionText.get(), AggregationFunction.names())
                .map(c -> "did you mean '" + c + "'? ")
                .orElse("");
        reader.problem(
            functionNode.get(),
            "unknown function '" + functionText.get() + "' for " + what,
            closest + "functions: " + String.join(", ", AggregationFunction.names()));
      }
    }
    Optional<Duration> window = Optional.empty();
    Optional<Node> windowNode = f.required("window");
    Optional<String> windowText = windowNode.flatMap(v -> reader.string(v, "'window' of " + what));
    if (windowText.isPresent()) {
      window = Durations.parse(windowText.get());
      if (window.isEmpty()) {
        reader.problem(
            windowNode.get(), "invalid duration '" + windowText.get() + "'", Durations.HINT);
      } else if (intervalValid
          && (window.get().isZero()
              || window.get().isNegative()
              || window.get().toMillis() % interval.toMillis() != 0)) {
        reader.problem(
            windowNode.get(),
            "window '"
                + windowText.get()
                + "' of "
                + what
                + " is not a positive multiple of the aggregation interval "
                + Durations.format(interval),
            "windows are whole numbers of intervals, e.g. "
                + Durations.format(interval.multipliedBy(24)));
        window = Optional.empty();
      }
    }
    int n = 0;
    Optional<Node> nNode = f.value("n");
    boolean lastN = function.filter(fn -> fn == AggregationFunction.LAST_N).isPresent();
    if (nNode.isPresent()) {
      if (function.isPresent() && !lastN) {
        reader.problem(
            nNode.get(),
            "'n' of " + what + " is only for last_n, not " + function.get(),
            "remove 'n'");
        ok = false;
      } else {
        Optional<String> text = reader.string(nNode.get(), "'n' of " + what);
        Optional<Integer> parsed = text.flatMap(DefinitionParser::integer);
        if (text.isPresent()
            && (parsed.isEmpty() || parsed.get() < 1 || parsed.get() > AggregationFunction.MAX_N)) {
          reader.problem(
              nNode.get(),
              "invalid 'n' " + text.get() + " of " + what,
              "last_n keeps 1 to " + AggregationFunction.MAX_N + " values");
          ok = false;
        } else if (parsed.isPresent()) {
          n = parsed.get();
        } else {
          ok = false;
        }
      }
    } else if (lastN) {
      reader.problem(
          f.node(),
          what + " is missing required key 'n'",
          "last_n keeps the n latest values, 1 to " + AggregationFunction.MAX_N);
      ok = false;
    }
    Optional<String> column = f.string("column");
    String columnKey = "features." + name.orElse(peeked.orElse("")) + ".column";
    f.value("column").ifPresent(v -> at.put(columnKey, reader.at(v)));
    if (column.isEmpty()
        && f.value("column").isEmpty()
        && function.isPresent()
        && !function.get().allowsNoColumn()) {
      reader.problem(
          f.node(),
          what + " is missing required key 'column'",
          "only a count of rows goes without a column");
      ok = false;
    }
    Optional<ValueType> type = Optional.empty();
    Optional<Node> typeNode = f.value("type");
    if (typeNode.isPresent()) {
      type = type(typeNode.get(), what);
      if (f.value("column").isEmpty()) {
        reader.problem(
            typeNode.get(),
            "'type' of " + what + " without a column",
            "'type' is the type of the aggregated column; remove it for a count of rows");
        ok = false;
      } else if (type.isPresent() && function.isPresent() && !function.get().accepts(type.get())) {
        reader.problem(
            typeNode.get(),
            function.get().rejects(what, type.get()),
            function.get().acceptedHint());
        ok = false;
      }
    }
    Optional<String> description = f.string("description");
    if (!ok
        || name.isEmpty()
        || function.isEmpty()
        || window.isEmpty()
        || (typeNode.isPresent() && type.isEmpty())
        || (f.value("column").isPresent() && column.isEmpty())) {
      return Optional.empty();
    }
    // A column without a type: plan and apply read the type from the source's schema.
    return Optional.of(
        new AggregationSpec(
            name.get(),
            function.get(),
            column,
            type,
            window.get(),
            n,
            description.orElse(""),
            f.value("column").map(reader::at).orElse(reader.at(node))));
  }

  private static Optional<Integer> integer(String text) {
    try {
      return Optional.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Optional<Feature> feature(Node node, String viewWhat, Map<String, Location> at) {
    String what = "a feature of " + viewWhat;
    Optional<String> peeked = peekName(node);
    if (peeked.isPresent()) {
      what = "feature '" + peeked.get() + "' of " + viewWhat;
    }
    Optional<Fields> fields = reader.mapping(node, what, FEATURE_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fields.get();
    Optional<String> name = f.requiredString("name");
    if (name.isPresent()) {
      Node nameNode = f.value("name").orElseThrow();
      if (name.get().startsWith("__")) {
        reader.problem(
            nameNode,
            "feature name '" + name.get() + "' is reserved",
            "names starting with '__' are reserved for internal columns");
        name = Optional.empty();
      } else if (!IDENTIFIER.matcher(name.get()).matches()) {
        reader.problem(nameNode, "invalid feature name '" + name.get() + "'", IDENTIFIER_HINT);
        name = Optional.empty();
      } else if (at.containsKey("features." + name.get())) {
        reader.problem(
            nameNode,
            "duplicate feature '" + name.get() + "' in " + viewWhat,
            "first defined at " + at.get("features." + name.get()));
        name = Optional.empty();
      } else {
        at.put("features." + name.get(), reader.at(node));
      }
    }
    String label = what;
    Optional<ValueType> type = f.required("type").flatMap(v -> type(v, label));
    Optional<String> sourceColumn = f.string("source_column");
    Optional<String> description = f.string("description");
    String prefix = "features." + name.orElse(peeked.orElse(""));
    // A feature reported as a duplicate must not overwrite the locations of the first one.
    Map<String, Location> checksAt = name.isPresent() ? at : new HashMap<>();
    FeatureChecks featureChecks =
        f.value("checks")
            .map(v -> checks.checks(v, label, type, checksAt, prefix))
            .orElse(FeatureChecks.NONE);
    if (name.isEmpty() || type.isEmpty()) {
      return Optional.empty();
    }
    f.value("type").ifPresent(v -> at.put(prefix + ".type", reader.at(v)));
    f.value("source_column").ifPresent(v -> at.put(prefix + ".source_column", reader.at(v)));
    return Optional.of(
        new Feature(
            name.get(),
            type.get(),
            sourceColumn.orElse(name.get()),
            description.orElse(""),
            featureChecks));
  }

  private Map<String, String> tags(Fields f, String what) {
    Map<String, String> tags = new LinkedHashMap<>();
    Optional<Node> value = f.value("tags");
    if (value.isEmpty()) {
      return tags;
    }
    if (!(value.get() instanceof MappingNode mapping)) {
      reader.problem(
          value.get(),
          "'tags' of " + what + " must be a mapping, not " + NodeReader.kind(value.get()),
          "e.g. tags: {owner: growth-team}");
      return tags;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      Optional<String> key = reader.string(tuple.getKeyNode(), "a tag name of " + what);
      Optional<String> tagValue =
          tuple.getValueNode() instanceof ScalarNode scalar && !NodeReader.isNull(scalar)
              ? Optional.of(scalar.getValue())
              : reader.string(tuple.getValueNode(), "a tag value of " + what);
      if (key.isPresent() && tagValue.isPresent()) {
        tags.put(key.get(), tagValue.get());
      }
    }
    return tags;
  }

  private Optional<FeatureService> featureService(Node node, String what) {
    Optional<Fields> fields = reader.mapping(node, what, SERVICE_KEYS);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fields.get();
    Map<String, Location> at = new HashMap<>();
    Optional<String> name = name(f, "feature service");
    List<FeatureReference> references = new ArrayList<>();
    f.required("features")
        .flatMap(v -> reader.list(v, "'features' of " + what))
        .ifPresent(
            nodes -> {
              if (nodes.isEmpty()) {
                reader.problem(f.value("features").orElseThrow(), what + " has no features", "");
              }
              for (Node referenceNode : nodes) {
                reader
                    .string(referenceNode, "a feature of " + what)
                    .ifPresent(text -> reference(referenceNode, text, what, at, references));
              }
            });
    Optional<String> description = f.string("description");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    FeatureService service = new FeatureService(name.get(), references, description.orElse(""));
    into.featureServices().add(new Parsed<>(service, reader.at(node), at));
    return Optional.of(service);
  }

  private void reference(
      Node node,
      String text,
      String what,
      Map<String, Location> at,
      List<FeatureReference> references) {
    try {
      FeatureReference reference = FeatureReference.parse(text);
      at.put("features[" + references.size() + "]", reader.at(node));
      references.add(reference);
    } catch (FeatureStoreException e) {
      reader.problem(
          node,
          "invalid feature reference '" + text + "' in " + what,
          "use view:feature, or view:* for every feature of a view");
    }
  }
}
