/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.apache.avro.Schema;

/** Opens a registry at a location with the {@link RegistryProvider} for its scheme. */
public final class Registries {
  /** Which module brings the provider of a scheme, for the error when it is missing. */
  private static final Map<String, String> MODULES =
      Map.of(
          "postgresql", "registry-postgresql",
          "hdfs", "registry-hadoop",
          "s3a", "registry-hadoop",
          "viewfs", "registry-hadoop",
          "abfs", "registry-hadoop",
          "gs", "registry-hadoop");

  private Registries() {}

  /**
   * Opens the registry at a location: a {@link FileRegistry} for {@code file:}, else the provider
   * on the class path whose schemes hold the location's.
   *
   * @throws FeatureStoreException INVALID_ARGUMENT naming the location (without its password) when
   *     no provider takes the scheme or the location is invalid
   */
  public static Registry open(RegistryLocation location) {
    requireNonNull(location, "location is null");
    String scheme = location.scheme();
    if (scheme.equals("file")) {
      return FileRegistry.open(filePath(location));
    }
    TreeSet<String> installed = new TreeSet<>();
    installed.add("file");
    for (RegistryProvider provider : ServiceLoader.load(RegistryProvider.class)) {
      if (provider.schemes().contains(scheme)) {
        return provider.open(location);
      }
      installed.addAll(provider.schemes());
    }
    String module = MODULES.get(scheme);
    throw FeatureStoreException.of(
        ErrorCode.INVALID_ARGUMENT,
        "Cannot open registry %s: no registry backend for the scheme '%s' is on the class path%s;"
            + " the installed schemes are %s",
        location.redacted(),
        scheme,
        module == null
            ? ""
            : " (add the "
                + module
                + " module to the class path: its jar in the distribution's lib/)",
        String.join(", ", installed));
  }

  /**
   * The compare-and-swap rule of every backend's apply, checked under its lock or in its
   * transaction against the latest version it read there.
   *
   * @return the result to return without writing when the definitions equal the latest version's;
   *     empty when the backend must write {@link #nextVersion}
   * @throws FeatureStoreException CONFLICT ({@link #conflict}) when the request expects another
   *     latest version
   */
  public static Optional<Registry.ApplyResult> checkApply(
      String location, Optional<RegistryVersion> latest, Registry.ApplyRequest request) {
    long latestNumber = latest.map(RegistryVersion::number).orElse(0L);
    if (request.expectedLatest().isPresent()
        && request.expectedLatest().getAsLong() != latestNumber) {
      throw conflict(location, request.expectedLatest().getAsLong(), latest);
    }
    if (latest.isPresent()
        && latest.get().contentHash().equals(DefinitionsJson.contentHash(request.definitions()))) {
      return Optional.of(new Registry.ApplyResult(latest.get(), false));
    }
    return Optional.empty();
  }

  /** The version an apply writes after {@code latest}: the next number, now, the audit entry. */
  public static RegistryVersion nextVersion(
      Optional<RegistryVersion> latest, Registry.ApplyRequest request) {
    return new RegistryVersion(
        latest.map(RegistryVersion::number).orElse(0L) + 1,
        DefinitionsJson.contentHash(request.definitions()),
        Instant.now().truncatedTo(ChronoUnit.MILLIS),
        request.definitions(),
        Optional.of(request.audit()));
  }

  /** The value schema of each feature view of the definitions, by view name. */
  public static Map<String, Schema> valueSchemas(Definitions definitions) {
    Map<String, Schema> schemas = new LinkedHashMap<>();
    for (FeatureView view : definitions.featureViews()) {
      schemas.put(view.name(), FeatureViewSchemas.schemaOf(definitions.project(), view));
    }
    return schemas;
  }

  /**
   * Copies a registry into an empty one, keeping its history exactly: every version with its
   * number, time, hash and audit entry, the value schemas each version's views were applied with,
   * the watermarks and the statistics history of every view. {@code registry copy --to} uses it.
   *
   * @return the number of versions copied
   * @throws FeatureStoreException INVALID_ARGUMENT when the target already holds a version
   */
  public static int copy(Registry from, Registry to) {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    Optional<RegistryVersion> existing = to.latest();
    if (existing.isPresent()) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot copy registry %s to %s: the target already holds %d version(s); copy into an"
              + " empty registry",
          from.location(),
          to.location(),
          existing.get().number());
    }
    List<RegistryVersion> history = from.history();
    for (RegistryVersion version : history) {
      Map<String, Schema> schemas = new LinkedHashMap<>();
      from.schemaFingerprints(version.number())
          .forEach(
              (view, fingerprint) ->
                  schemas.put(
                      view,
                      from.schema(fingerprint)
                          .orElseThrow(
                              () ->
                                  FeatureStoreException.of(
                                      ErrorCode.INTERNAL_ERROR,
                                      "Cannot copy registry %s: version %d records the schema"
                                          + " %s of feature view '%s', which the registry does"
                                          + " not hold",
                                      from.location(),
                                      version.number(),
                                      FileRegistry.hex(fingerprint),
                                      view))));
      to.append(version, schemas);
    }
    from.watermarks().all().forEach(to.watermarks()::write);
    StatisticsHistory statistics = to.statistics();
    for (String view : from.statistics().views()) {
      from.statistics().runs(view).forEach(statistics::append);
    }
    return history.size();
  }

  /**
   * The CONFLICT error of an apply whose expected latest version is no longer the latest; every
   * backend throws this one.
   *
   * @param location the registry, without password
   * @param expected the version number the apply was planned against (0: nothing applied)
   * @param latest the actual latest version
   */
  public static FeatureStoreException conflict(
      String location, long expected, Optional<RegistryVersion> latest) {
    String actual = latest.map(Registries::describe).orElse("no version");
    return FeatureStoreException.of(
        ErrorCode.CONFLICT,
        "Cannot apply to registry %s: expected %s to be the latest, but the latest is %s; run"
            + " plan again against it",
        location,
        expected == 0 ? "no applied version" : "version " + expected,
        actual);
  }

  /** Names a version for messages: {@code version 7 (applied at … by ana on ci-3)}. */
  public static String describe(RegistryVersion version) {
    return "version "
        + version.number()
        + " (applied at "
        + version.appliedAt()
        + version.audit().map(a -> " by " + a.user() + " on " + a.host()).orElse("")
        + ")";
  }

  private static Path filePath(RegistryLocation location) {
    try {
      return location.uri().getScheme() == null
          ? Path.of(location.uri().getPath())
          : Path.of(location.uri());
    } catch (IllegalArgumentException e) {
      // e.g. file:relative (not hierarchical) or file://host/path (an authority)
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          e,
          "Cannot open registry %s: %s (use a path relative to the repo, an absolute path, or"
              + " a file: URI such as file:///var/featurestore/registry)",
          location.redacted(),
          e.getMessage());
    }
  }
}
