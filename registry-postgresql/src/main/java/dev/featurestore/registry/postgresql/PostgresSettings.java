/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.store.RegistryLocation;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How to reach a PostgreSQL registry, read from its location ({@code
 * postgresql://[user[:password]@]host[:port]/database[?schema=name&...]}), its options and the
 * standard {@code PG*} environment variables.
 *
 * <p>Precedence: the user comes from the URI's user info, else its {@code user} parameter, else
 * {@code PGUSER}, else the operating system user. The password comes from the URI's user info, else
 * its {@code password} parameter, else the variable named by the {@code password_env} option, else
 * {@code PGPASSWORD} (else the driver's {@code ~/.pgpass}). Host, port and database default to
 * {@code PGHOST}, {@code PGPORT} and {@code PGDATABASE}, then localhost, 5432 and the user. Other
 * parameters (e.g. {@code sslmode}) go to the JDBC driver as they are. {@code schema} (default
 * {@value #DEFAULT_SCHEMA}) is the PostgreSQL schema that holds the registry's tables, so one
 * database can hold several registries.
 *
 * @param jdbcUrl the JDBC URL, without user or password
 * @param user the user
 * @param password the password, when one was given
 * @param schema the schema of the registry's tables
 * @param redacted the location for messages, without password
 */
record PostgresSettings(
    String jdbcUrl, String user, Optional<String> password, String schema, String redacted) {
  /** The schema used when the location names none. */
  static final String DEFAULT_SCHEMA = "featurestore";

  /** The option naming the environment variable that holds the password. */
  static final String PASSWORD_ENV = "password_env";

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  PostgresSettings {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(schema, "schema is null");
    requireNonNull(redacted, "redacted is null");
  }

  static PostgresSettings of(RegistryLocation location, Function<String, String> environment) {
    URI uri = location.uri();
    String redacted = location.redacted();
    Map<String, String> parameters = query(uri.getRawQuery());
    String[] userInfo =
        uri.getRawUserInfo() == null ? new String[0] : uri.getRawUserInfo().split(":", 2);
    String user =
        first(
                userInfo.length > 0 && !userInfo[0].isEmpty() ? decode(userInfo[0]) : null,
                parameters.remove("user"),
                environment.apply("PGUSER"),
                System.getProperty("user.name"))
            .orElseThrow();
    Optional<String> passwordEnv = location.option(PASSWORD_ENV);
    String fromOption = null;
    if (passwordEnv.isPresent()) {
      fromOption = environment.apply(passwordEnv.get());
      if (fromOption == null && userInfo.length < 2 && !parameters.containsKey("password")) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot open registry %s: the environment variable %s (its password_env) is not set",
            redacted,
            passwordEnv.get());
      }
    }
    Optional<String> password =
        first(
            userInfo.length > 1 ? decode(userInfo[1]) : null,
            parameters.remove("password"),
            fromOption,
            environment.apply("PGPASSWORD"));
    String schema = Optional.ofNullable(parameters.remove("schema")).orElse(DEFAULT_SCHEMA);
    if (!SCHEMA.matcher(schema).matches()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot open registry %s: invalid schema '%s' (use lowercase letters, digits and '_',"
              + " starting with a letter or '_')",
          redacted,
          schema);
    }
    String host = first(uri.getHost(), environment.apply("PGHOST"), "localhost").orElseThrow();
    String port =
        uri.getPort() >= 0
            ? Integer.toString(uri.getPort())
            : first(environment.apply("PGPORT"), "5432").orElseThrow();
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    String database =
        first(path.isEmpty() ? null : path, environment.apply("PGDATABASE"), user).orElseThrow();
    StringBuilder jdbc =
        new StringBuilder("jdbc:postgresql://")
            .append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
            .append(':')
            .append(port)
            .append('/')
            .append(database);
    String separator = "?";
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      jdbc.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
      separator = "&";
    }
    return new PostgresSettings(jdbc.toString(), user, password, schema, redacted);
  }

  /** The driver's connection properties: user, password, timeouts, application name. */
  Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    password.ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("ApplicationName", "featurestore");
    return properties;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.put(
          decode(key),
          key.equals("user") || key.equals("password") || key.equals("schema")
              ? decode(value)
              : value);
    }
    return parameters;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  @SafeVarargs
  private static <T> Optional<T> first(T... values) {
    for (T value : values) {
      if (value != null && !(value instanceof String s && s.isEmpty())) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "PostgresSettings[" + redacted + ", user=" + user + ", schema=" + schema + "]";
  }
}
