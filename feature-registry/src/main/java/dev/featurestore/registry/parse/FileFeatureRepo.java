/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureRepo;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A feature repo on the local file system: {@code featurestore.yaml} plus definition files under
 * {@code features/} (any depth, {@code *.yaml} or {@code *.yml}).
 */
public final class FileFeatureRepo implements FeatureRepo {
  /** The project settings file at the repo root. */
  public static final String CONFIG_FILE = "featurestore.yaml";

  /** The folder holding the definition files. */
  public static final String FEATURES_DIRECTORY = "features";

  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

  private final Path root;
  private final RepoConfig config;
  private Registry registry;

  private FileFeatureRepo(Path root, RepoConfig config) {
    this.root = root;
    this.config = config;
  }

  /**
   * Opens the repo at {@code root}, reading and validating {@code featurestore.yaml}.
   *
   * @throws FeatureStoreException INVALID_DEFINITION when the folder has no valid settings file
   */
  public static FileFeatureRepo open(Path root) {
    requireNonNull(root, "root is null");
    Path absolute = root.toAbsolutePath().normalize();
    Path configFile = absolute.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DEFINITION,
          "Cannot open feature repo %s: %s not found (a feature repo is a folder with %s and"
              + " %s/*.yaml)",
          absolute,
          CONFIG_FILE,
          CONFIG_FILE,
          FEATURES_DIRECTORY);
    }
    return new FileFeatureRepo(absolute, RepoConfigParser.parse(CONFIG_FILE, read(configFile)));
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public RepoConfig config() {
    return config;
  }

  @Override
  public Definitions definitions() {
    return parse().definitions();
  }

  /**
   * Parses and validates every definition file, keeping where each part was written.
   *
   * @throws DefinitionException with every problem found, in file and line order
   */
  public ParsedDefinitions parse() {
    ParsedFiles parsed = new ParsedFiles();
    for (Path file : definitionFiles()) {
      String name = root.relativize(file).toString().replace('\\', '/');
      String text;
      try {
        text = read(file);
      } catch (FeatureStoreException e) {
        parsed.problems().add(new Problem(name, 0, 0, e.getMessage(), ""));
        continue;
      }
      Optional<Node> node = Yamls.compose(name, text, parsed.problems());
      NodeReader reader = new NodeReader(name, parsed.problems());
      node.ifPresent(n -> DefinitionParser.parse(reader, n, parsed));
    }
    DefinitionValidator.validate(parsed);
    if (!parsed.problems().isEmpty()) {
      List<Problem> problems = new ArrayList<>(parsed.problems());
      problems.sort(
          Comparator.comparing(Problem::file)
              .thenComparingInt(Problem::line)
              .thenComparingInt(Problem::column));
      throw new DefinitionException(problems);
    }
    Map<String, Location> locations = new HashMap<>();
    addLocations(locations, "entities", parsed.entities(), Entity::name);
    addLocations(locations, "sources", parsed.sources(), ParquetSource::name);
    addLocations(locations, "feature_views", parsed.featureViews(), FeatureView::name);
    addLocations(locations, "feature_services", parsed.featureServices(), FeatureService::name);
    Definitions definitions =
        new Definitions(
            config.project(),
            values(parsed.entities()),
            values(parsed.sources()),
            values(parsed.featureViews()),
            values(parsed.featureServices()));
    return new ParsedDefinitions(definitions, locations);
  }

  private static <T> List<T> values(List<Parsed<T>> items) {
    return items.stream().map(Parsed::value).toList();
  }

  private static <T> void addLocations(
      Map<String, Location> into, String kind, List<Parsed<T>> items, Function<T, String> name) {
    for (Parsed<T> item : items) {
      String prefix = kind + "." + name.apply(item.value());
      into.put(prefix, item.location());
      item.at().forEach((path, location) -> into.put(prefix + "." + path, location));
    }
  }

  /** The definition files, sorted by path. */
  List<Path> definitionFiles() {
    Path features = root.resolve(FEATURES_DIRECTORY);
    if (!Files.isDirectory(features)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(features)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".yaml") || name.endsWith(".yml");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new FeatureStoreException(
          ErrorCode.UNAVAILABLE, "Cannot list definition files in " + features + ": " + e, e);
    }
  }

  @Override
  public synchronized Registry registry() {
    if (registry == null) {
      URI location = resolve(config.registry());
      if (!"file".equals(location.getScheme())) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot open registry %s: the scheme '%s' is not supported yet (use a path relative"
                + " to the repo, an absolute path, or a file: URI)",
            config.registry(),
            location.getScheme());
      }
      registry = FileRegistry.open(Path.of(location));
    }
    return registry;
  }

  @Override
  public URI resolve(String path) {
    requireNonNull(path, "path is null");
    if (URI_SCHEME.matcher(path).matches()) {
      try {
        return URI.create(path);
      } catch (IllegalArgumentException e) {
        throw new FeatureStoreException(
            ErrorCode.INVALID_ARGUMENT, "Cannot resolve '" + path + "': " + e.getMessage(), e);
      }
    }
    return root.resolve(path).normalize().toUri();
  }

  private static String read(Path file) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FeatureStoreException(
          ErrorCode.INVALID_DEFINITION, "Cannot read " + file + ": not valid UTF-8", e);
    } catch (IOException e) {
      throw new FeatureStoreException(
          ErrorCode.UNAVAILABLE, "Cannot read " + file + ": " + e, new UncheckedIOException(e));
    }
  }

  @Override
  public String toString() {
    return "FileFeatureRepo[" + root + ", project=" + config.project() + "]";
  }
}
