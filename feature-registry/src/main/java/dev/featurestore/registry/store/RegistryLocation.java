/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a registry lives: a URI (a relative path of {@code featurestore.yaml} already resolved
 * against the repo) plus the backend's options from {@code featurestore.yaml} (e.g. {@code
 * password_env}).
 *
 * @param uri the location; {@code file:} for a local folder
 * @param options backend options by key, as written
 */
public record RegistryLocation(URI uri, Map<String, String> options) {
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("//([^:@/]*):[^@/]*@");
  private static final Pattern QUERY_PASSWORD =
      Pattern.compile("([?&](?i:password|sslpassword)=)[^&]*");

  public RegistryLocation {
    requireNonNull(uri, "uri is null");
    options = Map.copyOf(requireNonNull(options, "options is null"));
  }

  /** A location without options. */
  public static RegistryLocation of(URI uri) {
    return new RegistryLocation(uri, Map.of());
  }

  /** The URI scheme in lowercase; {@code file} when the URI has none. */
  public String scheme() {
    return uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
  }

  /** An option's value. */
  public Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /** The location for messages and logs: any password in the URI replaced by {@code ***}. */
  public String redacted() {
    return redact(uri.toString());
  }

  /** Replaces the password of a URI's user info or of a {@code password=} query parameter. */
  public static String redact(String location) {
    String masked = USER_INFO_PASSWORD.matcher(location).replaceAll("//$1:***@");
    return QUERY_PASSWORD.matcher(masked).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return "RegistryLocation[" + redacted() + ", options=" + options.keySet() + "]";
  }
}
