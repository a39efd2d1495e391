/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.store.RegistryLocation;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {
  private static PostgresSettings settings(String uri, Map<String, String> env) {
    return PostgresSettings.of(RegistryLocation.of(URI.create(uri)), env::get);
  }

  @Test
  void readsUserPasswordAndSchemaFromTheUriAndPassesOtherParametersToTheDriver() {
    PostgresSettings settings =
        settings(
            "postgresql://fs:s%40cret@db.example.com:6543/features?schema=team_a&sslmode=require",
            Map.of("PGPASSWORD", "ignored", "PGUSER", "ignored"));

    assertThat(settings.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example.com:6543/features?sslmode=require");
    assertThat(settings.user()).isEqualTo("fs");
    assertThat(settings.password()).contains("s@cret");
    assertThat(settings.schema()).isEqualTo("team_a");
    assertThat(settings.redacted())
        .isEqualTo(
            "postgresql://fs:***@db.example.com:6543/features?schema=team_a&sslmode=require");
    assertThat(settings.toString()).doesNotContain("cret");
    assertThat(settings.properties())
        .containsEntry("password", "s@cret")
        .containsEntry("user", "fs");
  }

  @Test
  void fallsBackToThePgEnvironmentVariables() {
    PostgresSettings settings =
        settings(
            "postgresql:///",
            Map.of(
                "PGHOST", "pg.internal",
                "PGPORT", "5499",
                "PGDATABASE", "registry",
                "PGUSER", "svc",
                "PGPASSWORD", "pw"));

    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://pg.internal:5499/registry");
    assertThat(settings.user()).isEqualTo("svc");
    assertThat(settings.password()).contains("pw");
    assertThat(settings.schema()).isEqualTo("featurestore");
  }

  @Test
  void takesThePasswordFromTheVariableNamedByPasswordEnvBeforePgPassword() {
    PostgresSettings settings =
        PostgresSettings.of(
            new RegistryLocation(
                URI.create("postgresql://fs@db/features"), Map.of("password_env", "FS_PW")),
            Map.of("FS_PW", "from-option", "PGPASSWORD", "from-pg")::get);

    assertThat(settings.password()).contains("from-option");
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/features");
  }

  @Test
  void refusesAPasswordEnvThatIsNotSet() {
    assertThatThrownBy(
            () ->
                PostgresSettings.of(
                    new RegistryLocation(
                        URI.create("postgresql://fs@db/features"), Map.of("password_env", "FS_PW")),
                    Map.<String, String>of()::get))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot open registry postgresql://fs@db/features: the environment variable FS_PW (its"
                + " password_env) is not set");
  }

  @Test
  void refusesASchemaThatIsNotASimpleName() {
    assertThatThrownBy(() -> settings("postgresql://db/f?schema=Team-A", Map.of()))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot open registry postgresql://db/f?schema=Team-A: invalid schema 'Team-A' (use"
                + " lowercase letters, digits and '_', starting with a letter or '_')");
  }

  @Test
  void hasNoPasswordWhenNoneIsGiven() {
    assertThat(settings("postgresql://fs@db/f", Map.of()).password()).isEqualTo(Optional.empty());
  }
}
