/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.config.RepoConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Durations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFeatureRepoTest {
  static final Path RIDES = Path.of("..", "examples", "rides");

  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(FileFeatureRepoTest.class.getResource("/definitions/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void parsesTheExampleRepo() {
    FeatureRepo repo = FeatureRepo.open(RIDES);

    assertThat(repo.config())
        .isEqualTo(
            new RepoConfig(
                "rides", ".featurestore/registry", "local[*]", Optional.empty(), Optional.empty()));
    assertThat(repo.definitions()).isEqualTo(TestDefinitions.rides());
    assertThat(repo.resolve("data/driver_daily"))
        .isEqualTo(RIDES.toAbsolutePath().normalize().resolve("data/driver_daily").toUri());
    assertThat(repo.resolve("s3://bucket/x").toString()).isEqualTo("s3://bucket/x");
  }

  @Test
  void keepsTheLocationOfEveryPart() {
    ParsedDefinitions parsed = FileFeatureRepo.open(RIDES).parse();

    assertThat(parsed.location("feature_views.driver_daily.features.rating.source_column"))
        .contains(new Location("features/driver.yaml", 29, 54));
    assertThat(parsed.location("sources.driver_daily_src.parquet"))
        .contains(new Location("features/driver.yaml", 8, 14));
    assertThat(parsed.location("entities.customer.join_keys.customer_id"))
        .contains(new Location("features/entities.yaml", 6, 17));
    assertThat(parsed.location("feature_views.customer_profile.no_such_part"))
        .contains(new Location("features/customer.yaml", 7, 5));
  }

  @Test
  void reportsEveryProblemWithFileLineAndColumn() {
    FileFeatureRepo repo = FileFeatureRepo.open(resource("invalid"));

    assertThatThrownBy(repo::definitions)
        .isInstanceOf(DefinitionException.class)
        .satisfies(
            e -> {
              assertThat(((DefinitionException) e).errorCode())
                  .isEqualTo(ErrorCode.INVALID_DEFINITION);
              assertThat(
                      ((DefinitionException) e).problems().stream().map(Object::toString).toList())
                  .containsExactly(
                      "features/sub/broken.yml:4:1: invalid YAML: expected ',' or '}', but got"
                          + " <stream end> while parsing a flow mapping",
                      "features/entities.yaml:5:17: join key 'driver_id' is string in entity"
                          + " 'rider' but int64 in entity 'driver' (declared at"
                          + " features/entities.yaml:3:17)",
                      "features/entities.yaml:6:5: unknown key 'descripton' in entity 'rider'"
                          + " (did you mean 'description'?)",
                      "features/entities.yaml:7:11: invalid entity name 'Bad-Name' (names start"
                          + " with a lowercase letter or '_' followed by lowercase letters,"
                          + " digits or '_')",
                      "features/entities.yaml:10:25: join key 'amount' of entity 'money' has"
                          + " type float64 (join key types are int32, int64, string or bytes)",
                      "features/entities.yaml:11:5: entity 'nokeys' is missing required key"
                          + " 'join_keys'",
                      "features/more.yaml:2:5: duplicate entity 'driver' (first defined at"
                          + " features/entities.yaml:2:5)",
                      "features/more.yaml:6:16: feature service 'ranking' references unknown"
                          + " feature 'conv_rat' of feature view 'ok' (did you mean"
                          + " 'conv_rate'?)",
                      "features/more.yaml:6:29: feature service 'ranking' references unknown"
                          + " feature view 'nothing_like_it' (defined: clash, ok, stats)",
                      "features/more.yaml:6:65: invalid feature reference 'nocolon' in feature"
                          + " service 'ranking' (use view:feature, or view:* for every feature"
                          + " of a view)",
                      "features/more.yaml:7:5: feature service 'no_features' is missing"
                          + " required key 'features'",
                      "features/more.yaml:8:1: unknown key 'extra' in definition file (valid"
                          + " keys: entities, sources, feature_views, feature_services)",
                      "features/views.yaml:5:5: source 'other_src' is missing required key"
                          + " 'parquet'",
                      "features/views.yaml:9:16: feature view 'stats' references unknown entity"
                          + " 'drivr' (did you mean 'driver'?)",
                      "features/views.yaml:10:13: feature view 'stats' references unknown"
                          + " source 'stats_scr' (did you mean 'stats_src'?)",
                      "features/views.yaml:11:10: invalid duration '2 hours' (use a whole number"
                          + " with a unit (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as"
                          + " PT2H or P7D, or 0 for no limit)",
                      "features/views.yaml:13:33: unknown type 'float' for feature 'conv_rate'"
                          + " of feature view 'stats' (did you mean 'float32'? valid types:"
                          + " int32, int64, float32, float64, string, bool, bytes, timestamp,"
                          + " array<int32>, array<int64>, array<float32>, array<float64>,"
                          + " array<string>)",
                      "features/views.yaml:14:16: duplicate feature 'conv_rate' in feature view"
                          + " 'stats' (first defined at features/views.yaml:13:9)",
                      "features/views.yaml:15:16: feature name '__internal' is reserved (names"
                          + " starting with '__' are reserved for internal columns)",
                      "features/views.yaml:21:9: feature 'driver_id' of feature view 'clash'"
                          + " has the name of a join key of entity 'driver' (rename the"
                          + " feature, or read the column under another name with"
                          + " source_column)");
            })
        .hasMessageStartingWith("Invalid definitions: 20 problems");
  }

  @Test
  void listsATabFirstAndLeavesOutTheReferencesItBreaks() throws IOException {
    write(
        "features/entities.yaml",
        "entities:\n  - name: driver\n\tjoin_keys: {driver_id: int64}\n  - name: rider\n");
    write(
        "features/views.yaml",
        """
        sources:
          - {name: s, parquet: data/s, timestamp_field: ts}
        feature_views:
          - name: a
            entities: [driver]
            source: s
            features: [{name: f, type: float64}]
          - name: b
            entities: [driver, rider, drivr]
            source: s
            ttl: 2 hours
            features: [{name: f, type: float64}]
        """);

    assertThat(problems())
        .containsExactly(
            "features/entities.yaml:3:1: invalid YAML: a tab character (YAML does not allow tabs"
                + " for indentation or between tokens; use spaces; 3 problems that follow from"
                + " it are not shown)",
            "features/views.yaml:9:31: feature view 'b' references unknown entity 'drivr' (none"
                + " is defined)",
            "features/views.yaml:11:10: invalid duration '2 hours' (use a whole number with a"
                + " unit (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or P7D, or 0"
                + " for no limit)");
  }

  @Test
  void listsSyntaxErrorsBeforeTheProblemsOfEarlierFiles() throws IOException {
    write(
        "features/a.yaml",
        """
        entities:
          - {name: driver, join_keys: {driver_id: int64}, descripton: x}
        feature_services:
          - {name: ranking, features: ["stats:conv_rate", "other:*"]}
        """);
    write(
        "features/z.yaml",
        """
        feature_views:
          - name: "stats"
            entities: [driver]
            source: s
            features: [{name: conv_rate, type: float64}
        """);

    assertThat(problems())
        .containsExactly(
            "features/z.yaml:6:1: invalid YAML: expected ',' or ']', but got <stream end> while"
                + " parsing a flow sequence (1 problem that follows from it is not shown)",
            "features/a.yaml:2:51: unknown key 'descripton' in entity 'driver' (did you mean"
                + " 'description'?)",
            "features/a.yaml:4:51: feature service 'ranking' references unknown feature view"
                + " 'other' (none is defined)");
  }

  @Test
  void leavesOutReferencesToAnObjectWrittenWhereAListBelongs() throws IOException {
    write(
        "features/a.yaml",
        """
        entities: {name: driver, join_keys: {driver_id: int64}}
        sources: [{name: s, parquet: data/s, timestamp_field: ts}]
        feature_views:
          - {name: v, entities: [driver], source: s, features: [{name: f, type: int64}]}
        """);

    assertThat(problems())
        .containsExactly("features/a.yaml:1:11: 'entities' must be a list, not a mapping");
  }

  @Test
  void reportsATabBetweenTokensAtItsColumn() throws IOException {
    write("features/a.yaml", "entities:\n  - name:\tdriver\n");

    assertThat(problems())
        .containsExactly(
            "features/a.yaml:2:10: invalid YAML: a tab character (YAML does not allow tabs for"
                + " indentation or between tokens; use spaces)");
  }

  @Test
  void reportsWrongShapesAndValues() throws IOException {
    write(
        "features/a.yaml",
        """
        entities: {name: driver}
        feature_views:
          - name: v
            entities: driver
            source: s
            ttl: -5m
            online: maybe
            features: []
            tags: [a]
        """);

    assertThat(problems())
        .containsExactly(
            "features/a.yaml:1:11: 'entities' must be a list, not a mapping",
            "features/a.yaml:4:15: 'entities' of feature view 'v' must be a list, not a scalar",
            "features/a.yaml:5:13: feature view 'v' references unknown source 's' (none is"
                + " defined)",
            "features/a.yaml:6:10: invalid duration '-5m' (use a whole number with a unit"
                + " (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or P7D, or 0"
                + " for no limit)",
            "features/a.yaml:7:13: 'online' of feature view 'v' must be true or false",
            "features/a.yaml:8:15: feature view 'v' has no features",
            "features/a.yaml:9:11: 'tags' of feature view 'v' must be a mapping, not a list"
                + " (e.g. tags: {owner: growth-team})");
  }

  @Test
  void acceptsTheMaterializersDurationFormsAsTtls() throws IOException {
    write(
        "features/a.yml",
        """
        entities: [{name: e, join_keys: {k: string}}]
        sources: [{name: s, parquet: x, timestamp_field: ts}]
        feature_views:
          - {name: a, entities: [e], source: s, ttl: 500ms, features: [{name: f, type: bool}]}
          - {name: b, entities: [e], source: s, ttl: 2 h, features: [{name: f, type: bool}]}
          - {name: c, entities: [e], source: s, ttl: pt36h, features: [{name: f, type: bool}]}
        """);

    assertThat(FileFeatureRepo.open(dir).definitions().featureViews())
        .extracting(FeatureView::ttl)
        .containsExactly(Duration.ofMillis(500), Duration.ofHours(2), Duration.ofHours(36));
  }

  @Test
  void acceptsEveryDurationForm() throws IOException {
    write(
        "features/a.yml",
        """
        entities: [{name: e, join_keys: {k: string, k2: int32}}]
        sources: [{name: s, parquet: x, timestamp_field: ts}]
        feature_views:
          - {name: a, entities: [e], source: s, ttl: 30s, features: [{name: f, type: bool}]}
          - {name: b, entities: [e], source: s, ttl: 15m, features: [{name: f, type: bytes}]}
          - {name: c, entities: [e], source: s, ttl: P7D, features: [{name: f, type: timestamp}]}
          - {name: d, entities: [e], source: s, ttl: PT2H30M, features: [{name: f, type: int32}]}
          - {name: e, entities: [e], source: s, ttl: 0, features: [{name: f, type: array<string>}]}
          - {name: f, entities: [e], source: s, features: [{name: f, type: "array< int64 >"}]}
        """);

    Definitions definitions = FileFeatureRepo.open(dir).definitions();

    assertThat(definitions.featureViews())
        .extracting(v -> Durations.format(v.ttl()))
        .containsExactly("30s", "15m", "7d", "150m", "0", "0");
    assertThat(definitions.featureViews())
        .extracting(v -> v.features().get(0).type().typeName())
        .containsExactly("bool", "bytes", "timestamp", "int32", "array<string>", "array<int64>");
    assertThat(definitions.entities().get(0).joinKeyNames()).containsExactly("k", "k2");
  }

  @Test
  void reportsDuplicateNamesAcrossFilesAndUnknownTopLevelKeys() throws IOException {
    write("features/a.yaml", "sources: [{name: s, parquet: x, timestamp_field: ts}]\n");
    write(
        "features/b.yaml",
        "sources:\n  - {name: s, parquet: y, timestamp_field: ts}\nfeature_view: []\n");

    assertThat(problems())
        .containsExactly(
            "features/b.yaml:2:5: duplicate source 's' (first defined at features/a.yaml:1:11)",
            "features/b.yaml:3:1: unknown key 'feature_view' in definition file (did you mean"
                + " 'feature_views'?)");
  }

  @Test
  void readsRepoSettings() throws IOException {
    Files.writeString(
        dir.resolve("featurestore.yaml"),
        """
        project: rides_2
        registry: file:///tmp/registry
        offline: {spark_master: "local[2]"}
        online:
          redis: [redis://a:7000, redis://b:7001]
          cluster: true
          api_key: s3cret
          grpc_port: 7567
        """);

    RepoConfig config = FileFeatureRepo.open(dir).config();

    assertThat(config)
        .isEqualTo(
            new RepoConfig(
                "rides_2",
                "file:///tmp/registry",
                Map.of(),
                "local[2]",
                Optional.of(new RedisConfig(List.of("redis://a:7000", "redis://b:7001"), true)),
                Optional.of("s3cret"),
                OptionalInt.of(7567)));
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void withoutAGrpcPortTheServiceDecides() throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\nonline: {api_key: k}\n");

    assertThat(FileFeatureRepo.open(dir).config().grpcPort()).isEmpty();
  }

  @Test
  void reportsAnInvalidGrpcPort() throws IOException {
    for (String port : new String[] {"lots", "70000", "-2", "[1]"}) {
      Files.writeString(
          dir.resolve("featurestore.yaml"), "project: p\nonline:\n  grpc_port: " + port + "\n");

      assertThatThrownBy(() -> FileFeatureRepo.open(dir))
          .isInstanceOf(DefinitionException.class)
          .hasMessage(
              "Invalid definitions: 1 problem"
                  + System.lineSeparator()
                  + "featurestore.yaml:3:14: invalid 'grpc_port' of 'online' settings: "
                  + (port.startsWith("[") ? "not a number" : "'" + port + "'")
                  + " (use a port number from 1 to 65535, 0 for a free port or -1 for no gRPC"
                  + " server)");
    }
  }

  @Test
  void reportsInvalidRepoSettings() throws IOException {
    Files.writeString(
        dir.resolve("featurestore.yaml"),
        """
        project: Rides
        registy: x
        online:
          redis: [redis://a:7000, redis://b:7001]
        """);

    assertThatThrownBy(() -> FileFeatureRepo.open(dir))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 3 problems",
                "featurestore.yaml:1:10: invalid project name 'Rides' (project names use"
                    + " lowercase letters, digits and '_')",
                "featurestore.yaml:2:1: unknown key 'registy' in featurestore.yaml (did you mean"
                    + " 'registry'?)",
                "featurestore.yaml:4:10: 'redis' lists 2 URIs but 'cluster' is not true (set"
                    + " cluster: true to use the URIs as Redis Cluster seed nodes)"));
  }

  @Test
  void rejectsAFolderWithoutSettings() {
    assertThatThrownBy(() -> FeatureRepo.open(dir))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot open feature repo "
                + dir.toAbsolutePath().normalize()
                + ": featurestore.yaml not found (a feature repo is a folder with"
                + " featurestore.yaml and features/*.yaml)");
  }

  @Test
  void rejectsRegistrySchemesWithoutABackendOnTheClassPath() throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\nregistry: s3://b/r\n");

    assertThatThrownBy(() -> FeatureRepo.open(dir).registry())
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot open registry s3://b/r: no registry backend for the scheme 's3' is on the"
                + " class path; the installed schemes are file");
  }

  @Test
  void namesTheModuleOfAKnownSchemeWithoutThePassword() throws IOException {
    Files.writeString(
        dir.resolve("featurestore.yaml"),
        "project: p\nregistry: postgresql://fs:s3cret@db:5432/features?password=s3cret&ssl=true\n");

    assertThatThrownBy(() -> FeatureRepo.open(dir).registry())
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot open registry postgresql://fs:***@db:5432/features?password=***&ssl=true: no"
                + " registry backend for the scheme 'postgresql' is on the class path (add the"
                + " registry-postgresql module to the class path: its jar in the distribution's"
                + " lib/); the installed schemes are file");
  }

  @Test
  void reportsUnknownAndMissingRegistrySettingsWithTheirLine() throws IOException {
    Files.writeString(
        dir.resolve("featurestore.yaml"), "project: p\nregistry:\n  passwd_env: PW\n");

    assertThatThrownBy(() -> FileFeatureRepo.open(dir))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            String.join(
                System.lineSeparator(),
                "Invalid definitions: 2 problems",
                "featurestore.yaml:3:3: unknown key 'passwd_env' in 'registry' settings (did you"
                    + " mean 'password_env'?)",
                "featurestore.yaml:3:3: 'registry' settings is missing required key 'location'"));
  }

  @Test
  void readsRegistryOptionsFromAMapping() throws IOException {
    Files.writeString(
        dir.resolve("featurestore.yaml"),
        "project: p\nregistry:\n  location: postgresql://db/features\n  password_env: PW\n");

    FileFeatureRepo repo = FileFeatureRepo.open(dir);

    assertThat(repo.config().registry()).isEqualTo("postgresql://db/features");
    assertThat(repo.registryLocation())
        .isEqualTo(
            new RegistryLocation(
                URI.create("postgresql://db/features"), Map.of("password_env", "PW")));
  }

  @Test
  void rejectsFileUrisThatAreNotPathsWithoutARawException() throws IOException {
    for (String[] example :
        new String[][] {
          {"file:registry", "URI is not hierarchical"},
          {"file://host/registry", "URI has an authority component"}
        }) {
      Files.writeString(
          dir.resolve("featurestore.yaml"), "project: p\nregistry: " + example[0] + "\n");

      assertThatThrownBy(() -> FeatureRepo.open(dir).registry())
          .as(example[0])
          .isInstanceOfSatisfying(
              FeatureStoreException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessage(
              "Cannot open registry "
                  + example[0]
                  + ": "
                  + example[1]
                  + " (use a path relative to the repo, an absolute path, or a file: URI such as"
                  + " file:///var/featurestore/registry)");
    }
  }

  @Test
  void rejectsPathsThatAreNotPathsWithoutARawException() throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");

    assertThatThrownBy(() -> FeatureRepo.open(dir).resolve("data/a\0b.parquet"))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot resolve 'data/a\0b.parquet': Nul character not allowed: data/a\0b.parquet");
  }

  @Test
  void rejectsARedisConfigWithoutUris() {
    assertThatThrownBy(() -> new RedisConfig(List.of(), false))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot use the online store: no Redis URI (use redis://host:port or"
                + " rediss://host:port)");
  }

  @Test
  void readsPushTrueAndDefaultsToNoPushes() throws IOException {
    write(
        "features/a.yaml",
        """
        sources:
          - {name: pushed, parquet: data/pushed/, timestamp_field: ts, push: true}
          - {name: batch, parquet: data/batch.parquet, timestamp_field: ts}
        """);

    Definitions definitions = FileFeatureRepo.open(dir).definitions();

    assertThat(definitions.sources())
        .extracting(s -> s.name() + " " + s.acceptsPushes())
        .containsExactly("batch false", "pushed true");
  }

  @Test
  void rejectsPushesToAFileOrAGlob() throws IOException {
    write(
        "features/a.yaml",
        """
        sources:
          - {name: one_file, parquet: data/x.parquet, timestamp_field: ts, push: true}
          - name: many
            parquet: "data/*/part-*"
            timestamp_field: ts
            push: yes
          - {name: globbed, parquet: "data/{a,b}", timestamp_field: ts, push: true}
        """);

    assertThat(problems())
        .containsExactly(
            "features/a.yaml:2:31: source 'one_file' has push: true but its parquet path"
                + " 'data/x.parquet' names a file or a glob (a source that accepts pushes must name"
                + " a folder (pushes to the offline store add files to it), e.g. parquet:"
                + " data/one_file/)",
            "features/a.yaml:6:11: 'push' of source 'many' must be true or false",
            "features/a.yaml:7:30: source 'globbed' has push: true but its parquet path"
                + " 'data/{a,b}' names a file or a glob (a source that accepts pushes must name a"
                + " folder (pushes to the offline store add files to it), e.g. parquet:"
                + " data/globbed/)");
  }

  private void write(String file, String text) throws IOException {
    if (!Files.exists(dir.resolve("featurestore.yaml"))) {
      Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");
    }
    Files.createDirectories(dir.resolve(file).getParent());
    Files.writeString(dir.resolve(file), text);
  }

  private List<String> problems() {
    try {
      FileFeatureRepo.open(dir).definitions();
    } catch (DefinitionException e) {
      return e.problems().stream().map(Object::toString).toList();
    }
    throw new AssertionError("expected problems");
  }
}
