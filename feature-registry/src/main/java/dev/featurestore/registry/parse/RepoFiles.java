/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.DefinitionException.Problem;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Entity;
import dev.featurestore.registry.definition.FeatureService;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.parse.ParsedFiles.UnparsedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The files of a feature repo as the parser reads them: {@code featurestore.yaml} and the
 * definition files under {@code features/} (any depth, {@code *.yaml} or {@code *.yml}).
 */
public final class RepoFiles {
  /** The project settings file at the repo root. */
  public static final String CONFIG_FILE = "featurestore.yaml";

  /** The folder holding the definition files. */
  public static final String FEATURES_DIRECTORY = "features";

  private RepoFiles() {}

  /**
   * Reads and validates the settings file.
   *
   * @throws FeatureStoreException INVALID_DEFINITION when the settings are invalid
   */
  public static RepoConfig config(Path configFile) {
    return RepoConfigParser.parse(CONFIG_FILE, read(configFile));
  }

  /**
   * Parses and validates every definition file under {@code root/features}, keeping where each part
   * was written.
   *
   * @throws DefinitionException with every problem found (see {@link ParseResult#orThrow()});
   *     problems that only follow from a file that did not parse (a reference to a name it defines)
   *     are left out and counted in that file's problem
   */
  public static ParsedDefinitions definitions(Path root, String project) {
    return read(root, project).orThrow();
  }

  /**
   * Parses and validates every definition file under {@code root/features}, returning the objects
   * that parsed together with every problem found, for checks that run on them before the problems
   * are reported.
   */
  public static ParseResult read(Path root, String project) {
    ParsedFiles parsed = new ParsedFiles();
    for (Path file : definitionFiles(root)) {
      String name = root.relativize(file).toString().replace('\\', '/');
      String text;
      try {
        text = read(file);
      } catch (FeatureStoreException e) {
        parsed
            .unparsedFiles()
            .add(new UnparsedFile(new Problem(name, 0, 0, e.getMessage(), ""), ""));
        continue;
      }
      List<Problem> syntax = new ArrayList<>();
      Optional<Node> node = Yamls.compose(name, text, syntax);
      syntax.forEach(problem -> parsed.unparsedFiles().add(new UnparsedFile(problem, text)));
      NodeReader reader = new NodeReader(name, parsed.problems());
      node.ifPresent(n -> DefinitionParser.parse(reader, n, parsed));
    }
    DefinitionValidator.validate(parsed);
    Map<String, Location> locations = new HashMap<>();
    addLocations(locations, "entities", parsed.entities(), Entity::name);
    addLocations(locations, "sources", parsed.sources(), ParquetSource::name);
    addLocations(locations, "feature_views", parsed.featureViews(), FeatureView::name);
    addLocations(locations, "feature_services", parsed.featureServices(), FeatureService::name);
    Definitions definitions =
        new Definitions(
            project,
            values(parsed.entities()),
            values(parsed.sources()),
            values(parsed.featureViews()),
            values(parsed.featureServices()));
    // Counted only now: the validator's references add to an unparsed file's consequences.
    List<Problem> fileProblems =
        parsed.unparsedFiles().stream().map(UnparsedFile::reported).toList();
    addLocations(locations, "sources", parsed.unfinishedSources(), ParquetSource::name);
    List<UntypedAggregation> untyped =
        parsed.featureViews().stream()
            .flatMap(v -> parsed.untypedAggregations(v).stream())
            .toList();
    return new ParseResult(
        new ParsedDefinitions(definitions, locations),
        values(parsed.unfinishedSources()),
        untyped,
        fileProblems,
        parsed.problems());
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
  static List<Path> definitionFiles(Path root) {
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
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, e, "Cannot list definition files in %s: %s", features, e);
    }
  }

  static String read(Path file) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_DEFINITION, e, "Cannot read %s: not valid UTF-8", file);
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.UNAVAILABLE, new UncheckedIOException(e), "Cannot read %s: %s", file, e);
    }
  }
}
