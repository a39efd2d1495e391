/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.repo.FileFeatureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code checks:} of a feature and the {@code freshness:} of a view in definition files. */
class ChecksDefinitionsTest {
  private static final String HEAD =
      """
      entities:
        - {name: driver, join_keys: {driver_id: int64}}
      sources:
        - {name: s, parquet: data/s, timestamp_field: ts}
      feature_views:
        - name: v
          entities: [driver]
          source: s
      """;

  @TempDir Path dir;

  @Test
  void parsesChecksAndFreshness() throws IOException {
    write(
        HEAD
            + """
                freshness: 2h
                features:
                  - {name: conv_rate, type: float64, checks: {min: 0, max: 1, max_null_fraction: 0.05}}
                  - {name: segment, type: string, checks: {allowed: [gold, silver, bronze]}}
                  - {name: trips, type: int32, checks: {allowed: [+1, 02, -3], min: -3}}
                  - {name: active, type: bool, checks: {allowed: [TRUE]}}
                  - {name: plain, type: float32}
            """);

    Definitions definitions = FileFeatureRepo.open(dir).definitions();
    FeatureView view = definitions.featureViews().get(0);

    assertThat(view.freshness()).contains(Duration.ofHours(2));
    assertThat(view.features())
        .extracting(f -> f.checks())
        .containsExactly(
            new FeatureChecks(
                OptionalDouble.of(0), OptionalDouble.of(1), OptionalDouble.of(0.05), List.of()),
            checks(OptionalDouble.empty(), List.of("gold", "silver", "bronze")),
            checks(OptionalDouble.of(-3), List.of("1", "2", "-3")),
            checks(OptionalDouble.empty(), List.of("true")),
            FeatureChecks.NONE);
  }

  @Test
  void aViewWithoutChecksOrFreshnessHasNone() throws IOException {
    write(HEAD + "    features: [{name: conv_rate, type: float64}]\n");

    FeatureView view = FileFeatureRepo.open(dir).definitions().featureViews().get(0);

    assertThat(view.freshness()).isEmpty();
    assertThat(view.hasChecks()).isFalse();
  }

  @Test
  void reportsBadChecksWithFileLineAndColumn() throws IOException {
    write(
        HEAD
            + """
                freshness: 0
                features:
                  - {name: a, type: float64, checks: {min: 0, max: 1, max_nul_fraction: 0.1}}
                  - {name: b, type: float64, checks: {min: 2, max: 1}}
                  - {name: c, type: float64, checks: {max_null_fraction: 1.5}}
                  - {name: d, type: string, checks: {min: 0}}
                  - {name: e, type: float64, checks: {allowed: [0.5]}}
                  - {name: f, type: string, checks: {allowed: []}}
                  - {name: g, type: int64, checks: {allowed: [1, x], max: high}}
                  - {name: h, type: "array<string>", checks: {allowed: [a]}}
                  - {name: i, type: bool, checks: {allowed: [yes]}}
                  - {name: j, type: string, checks: [min]}
            """);

    assertThat(problems())
        .containsExactly(
            "features/v.yaml:9:16: 'freshness' of feature view 'v' must be positive, not 0 (e.g."
                + " freshness: 2h; leave it out for no freshness expectation)",
            "features/v.yaml:11:59: unknown key 'max_nul_fraction' in 'checks' of feature 'a' of"
                + " feature view 'v' (did you mean 'max_null_fraction'?)",
            "features/v.yaml:12:48: check min 2 of feature 'b' of feature view 'v' is above its"
                + " max 1 (min must not be above max)",
            "features/v.yaml:13:62: check max_null_fraction 1.5 of feature 'c' of feature view"
                + " 'v' is outside [0, 1] (a fraction: 0 for no nulls, 0.05 for at most 5%, 1 for"
                + " any)",
            "features/v.yaml:14:47: check 'min' of feature 'd' of feature view 'v' needs a number"
                + " type, not string (min and max apply to int32, int64, float32 and float64"
                + " features)",
            "features/v.yaml:15:52: check 'allowed' of feature 'e' of feature view 'v' does not"
                + " apply to type float64 (allowed applies to string, bool, int32 and int64"
                + " features; use min and max for a range)",
            "features/v.yaml:16:51: check 'allowed' of feature 'f' of feature view 'v' is empty"
                + " (list the allowed values, e.g. allowed: [gold, silver]; leave it out for any"
                + " value)",
            "features/v.yaml:17:54: allowed value 'x' of feature 'g' of feature view 'v' is not of"
                + " type int64 (use whole numbers in range)",
            "features/v.yaml:17:63: check 'max' of feature 'g' of feature view 'v' must be a"
                + " number, not 'high' (e.g. max: 0)",
            "features/v.yaml:18:60: check 'allowed' of feature 'h' of feature view 'v' does not"
                + " apply to type array<string> (allowed applies to string, bool, int32 and int64"
                + " features)",
            "features/v.yaml:19:50: allowed value 'yes' of feature 'i' of feature view 'v' is not of"
                + " type bool (use true or false)",
            "features/v.yaml:20:41: 'checks' of feature 'j' of feature view 'v' must be a"
                + " mapping, not a list");
  }

  private static FeatureChecks checks(OptionalDouble min, List<String> allowed) {
    return new FeatureChecks(min, OptionalDouble.empty(), OptionalDouble.empty(), allowed);
  }

  private void write(String text) throws IOException {
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");
    Files.createDirectories(dir.resolve("features"));
    Files.writeString(dir.resolve("features/v.yaml"), text);
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
