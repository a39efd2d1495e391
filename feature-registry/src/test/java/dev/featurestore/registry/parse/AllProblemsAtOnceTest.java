/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.repo.FileFeatureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cross-reference rule reports its problem in the same run as the referenced object's own
 * problems: each repo holds both kinds. (The source column check, which runs in {@code plan}, is in
 * {@code PlannerTest}.)
 */
class AllProblemsAtOnceTest {
  static final String DRIVER =
      """
      entities:
        - name: driver
          join_keys: {driver_id: int64}
      sources:
        - name: src
          parquet: data/x
          timestamp_field: ts
      """;

  @TempDir Path dir;

  @Test
  void aServiceReferenceToAnUnknownFeatureOfABrokenView() throws IOException {
    write(
        "features/a.yaml",
        DRIVER
            + """
            feature_views:
              - name: stats
                entities: [driver]
                source: src
                ttl: 2 hours
                features:
                  - {name: conv_rate, type: float64}
                  - {name: acc_rate, type: float}
            feature_services:
              - name: ranking
                features: [stats:conv_rat, stats:acc_rate, stats:conv_rate, stats:*]
            """);

    // acc_rate is declared: its own problem is its type, not the service's reference.
    assertThat(problems())
        .containsExactly(
            "features/a.yaml:12:10: invalid duration '2 hours' (use a whole number with a unit"
                + " (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or P7D, or 0"
                + " for no limit)",
            "features/a.yaml:15:32: unknown type 'float' for feature 'acc_rate' of feature view"
                + " 'stats' (did you mean 'float32'? valid types: int32, int64, float32, float64,"
                + " string, bool, bytes, timestamp, array<int32>, array<int64>, array<float32>,"
                + " array<float64>, array<string>)",
            "features/a.yaml:18:16: feature service 'ranking' references unknown feature"
                + " 'conv_rat' of feature view 'stats' (did you mean 'conv_rate'?)");
  }

  @Test
  void theReferencesOfAViewThatIsNotADefinition() throws IOException {
    write(
        "features/a.yaml",
        DRIVER
            + """
            feature_views:
              - name: stats
                entities: [drivr]
                features:
                  - {name: conv_rate, type: float64}
                  - {name: driver_id, type: int64}
              - name: Daily
                entities: [driver]
                source: scr
                features:
                  - {name: trips, type: int64}
            feature_services:
              - name: ranking
                features: [stats:conv_rat, stats:*]
            """);

    assertThat(problems())
        .containsExactly(
            "features/a.yaml:9:5: feature view 'stats' is missing required key 'source'",
            "features/a.yaml:10:16: feature view 'stats' references unknown entity 'drivr' (did"
                + " you mean 'driver'?)",
            "features/a.yaml:14:11: invalid feature view name 'Daily' (names start with a"
                + " lowercase letter or '_' followed by lowercase letters, digits or '_')",
            "features/a.yaml:16:13: feature view 'Daily' references unknown source 'scr' (did you"
                + " mean 'src'?)",
            "features/a.yaml:21:16: feature service 'ranking' references unknown feature"
                + " 'conv_rat' of feature view 'stats' (did you mean 'conv_rate'?)");
  }

  @Test
  void aViewWithAnUnnamedFeatureLeavesOutReferencesThatMayMeanIt() throws IOException {
    write(
        "features/a.yaml",
        DRIVER
            + """
            feature_views:
              - name: stats
                entities: [driver]
                source: src
                features:
                  - {type: float64}
                  - {name: conv_rate, type: float64}
            feature_services:
              - name: ranking
                features: [stats:conv, nothing:x]
            """);

    assertThat(problems())
        .containsExactly(
            "features/a.yaml:13:9: a feature of feature view 'stats' is missing required key"
                + " 'name'",
            "features/a.yaml:17:28: feature service 'ranking' references unknown feature view"
                + " 'nothing' (defined: stats)");
  }

  @Test
  void theJoinKeysOfAnEntityWithABadJoinKey() throws IOException {
    write(
        "features/a.yaml",
        """
        entities:
          - name: driver
            join_keys: {driver_id: int64, region: float64}
          - name: area
            join_keys: {region: strin}
        sources:
          - name: src
            parquet: data/x
            timestamp_field: ts
        feature_views:
          - name: stats
            entities: [driver, area]
            source: src
            features:
              - {name: region, type: string}
        """);

    assertThat(problems())
        .containsExactly(
            "features/a.yaml:3:43: join key 'region' of entity 'driver' has type float64 (join"
                + " key types are int32, int64, string or bytes)",
            "features/a.yaml:5:25: unknown type 'strin' for join key 'region' (did you mean"
                + " 'string'? valid types: int32, int64, float32, float64, string, bool, bytes,"
                + " timestamp, array<int32>, array<int64>, array<float32>, array<float64>,"
                + " array<string>)",
            "features/a.yaml:12:24: feature view 'stats' has join key 'region' twice (entities"
                + " 'driver' and 'area')",
            "features/a.yaml:15:9: feature 'region' of feature view 'stats' has the name of a"
                + " join key of entity 'driver' (rename the feature, or read the column under"
                + " another name with source_column)");
  }

  @Test
  void anUnknownEntityAndSourceBesideTheirBrokenDefinitions() throws IOException {
    write(
        "features/a.yaml",
        """
        entities:
          - name: driver
            join_keys: {driver_id: int65}
        sources:
          - name: src
            parquet: data/x
        feature_views:
          - name: stats
            entities: [driver, rider]
            source: other
            features:
              - {name: conv_rate, type: float64}
          - name: daily
            entities: [driver]
            source: src
            features:
              - {name: trips, type: int64}
        """);

    // driver and src are defined (with problems): only rider and other are unknown.
    assertThat(problems())
        .containsExactly(
            "features/a.yaml:3:28: unknown type 'int65' for join key 'driver_id' (did you mean"
                + " 'int64'? valid types: int32, int64, float32, float64, string, bool, bytes,"
                + " timestamp, array<int32>, array<int64>, array<float32>, array<float64>,"
                + " array<string>)",
            "features/a.yaml:5:5: source 'src' is missing required key 'timestamp_field'",
            "features/a.yaml:9:24: feature view 'stats' references unknown entity 'rider' (did"
                + " you mean 'driver'?)",
            "features/a.yaml:10:13: feature view 'stats' references unknown source 'other'"
                + " (none is defined)");
  }

  private void write(String file, String text) throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");
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
