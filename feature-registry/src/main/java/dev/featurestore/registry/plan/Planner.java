/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.parse.ParseResult;
import dev.featurestore.registry.parse.ParsedDefinitions;
import dev.featurestore.registry.parse.SourceSchemaReader;
import dev.featurestore.registry.repo.ApplyAudits;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Validates a repo and computes its {@link Plan}; applies it. */
public final class Planner {
  /** How often an apply plans again after losing a compare-and-swap to concurrent applies. */
  static final int MAX_ATTEMPTS = 20;

  /** How many objects the audit log's diff summary names before "and N more". */
  static final int SUMMARY_OBJECTS = 50;

  private final FileFeatureRepo repo;
  private final List<SourceSchemaReader> readers;
  private final boolean allowMissingSources;

  private Planner(
      FileFeatureRepo repo, List<SourceSchemaReader> readers, boolean allowMissingSources) {
    this.repo = repo;
    this.readers = List.copyOf(readers);
    this.allowMissingSources = allowMissingSources;
  }

  /** A planner that checks sources with every {@link SourceSchemaReader} on the class path. */
  public static Planner of(FileFeatureRepo repo) {
    return new Planner(repo, SourceSchemas.installedReaders(), false);
  }

  /** A planner that checks sources with the given readers (none: no source check). */
  public static Planner of(FileFeatureRepo repo, List<SourceSchemaReader> readers) {
    return new Planner(repo, readers, false);
  }

  /**
   * Returns a planner that notes a source with nothing at its path instead of failing (by default
   * it is an error, so that a mistyped path does not surface only at training or materialization
   * time). The {@code --allow-missing-sources} option of {@code plan} and {@code apply}.
   */
  public Planner allowingMissingSources() {
    return new Planner(repo, readers, true);
  }

  /**
   * Parses and validates the definitions, takes the column type of each aggregation without {@code
   * type:} from its source's schema, checks the definitions against the sources' columns where the
   * data is reachable, and compares them with the latest applied version.
   *
   * @throws DefinitionException with every problem found, including a source that cannot be read (a
   *     corrupt file), unless {@link #allowingMissingSources()} one with nothing at its path, and
   *     always an aggregation without {@code type:} whose type cannot be read from its source;
   *     sources are checked against the objects that parsed also when others have problems
   */
  public Plan plan() {
    // The sources are checked against what parsed even when other definitions have problems, so
    // that one run reports a column mismatch together with them. Each is read once, for both.
    ParseResult read = repo.read();
    List<ParquetSource> sources = new ArrayList<>(read.parsed().definitions().sources());
    sources.addAll(read.unfinishedSources());
    SourceSchemas schemas = SourceSchemas.read(repo, sources, readers);
    AggregationTypes.Result typed = AggregationTypes.resolve(read, schemas);
    SourceSchemaCheck.Result check =
        SourceSchemaCheck.check(
            typed.read().parsed(), read.unfinishedSources(), schemas, allowMissingSources);
    ParsedDefinitions parsed = typed.read().withProblems(check.problems()).orThrow();
    Optional<RegistryVersion> base = repo.registry().latest();
    List<Change> changes =
        DefinitionsDiff.diff(base.map(RegistryVersion::definitions), parsed.definitions());
    List<String> notes = new ArrayList<>(check.notes());
    notes.addAll(typed.notes());
    return new Plan(base, parsed.definitions(), changes, notes);
  }

  /**
   * Stores a plan's definitions as a new version (unless they equal the latest), as a
   * compare-and-swap against the version the plan was made on. When another apply got in first, it
   * plans again against the new latest: if the concurrent versions changed nothing that these
   * definitions define differently, it applies them on top; otherwise it fails with CONFLICT naming
   * the objects, so no apply silently reverts another.
   */
  public Registry.ApplyResult apply(Plan plan) {
    Registry registry = repo.registry();
    Optional<RegistryVersion> base = plan.base();
    List<Change> changes = plan.changes();
    for (int attempt = 1; ; attempt++) {
      long expected = base.map(RegistryVersion::number).orElse(0L);
      try {
        return registry.apply(request(plan.definitions(), expected, changes));
      } catch (FeatureStoreException e) {
        if (e.errorCode() != ErrorCode.CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
      Optional<RegistryVersion> latest = registry.latest();
      List<String> theirs =
          paths(DefinitionsDiff.diff(base.map(RegistryVersion::definitions), latestOf(latest)));
      changes = DefinitionsDiff.diff(latest.map(RegistryVersion::definitions), plan.definitions());
      List<String> overridden = new ArrayList<>(paths(changes));
      overridden.retainAll(theirs);
      if (!overridden.isEmpty()) {
        throw FeatureStoreException.of(
            ErrorCode.CONFLICT,
            "Cannot apply to registry %s: %s changed %s since this plan was made against %s,"
                + " and these definitions differ there; bring that change into the repo (run plan"
                + " to see it) and apply again",
            registry.location(),
            latest.map(Registries::describe).orElse("a concurrent apply"),
            String.join(", ", overridden),
            base.map(v -> "version " + v.number()).orElse("an empty registry"));
      }
      base = latest;
    }
  }

  /**
   * Stores a plan's definitions only if {@code expectedVersion} is still the latest version (0: if
   * nothing was applied yet): {@code apply --expect-version N}, for a pipeline that planned
   * earlier.
   *
   * @throws FeatureStoreException CONFLICT naming the latest version otherwise
   */
  public Registry.ApplyResult apply(Plan plan, long expectedVersion) {
    checkExpectedVersion(plan, expectedVersion);
    return repo.registry().apply(request(plan.definitions(), expectedVersion, plan.changes()));
  }

  /**
   * Checks that a plan was made against {@code expectedVersion} (0: an empty registry).
   *
   * @throws FeatureStoreException CONFLICT naming the latest version otherwise
   */
  public void checkExpectedVersion(Plan plan, long expectedVersion) {
    if (plan.base().map(RegistryVersion::number).orElse(0L) != expectedVersion) {
      throw Registries.conflict(repo.registry().location(), expectedVersion, plan.base());
    }
  }

  private Registry.ApplyRequest request(
      Definitions definitions, long expected, List<Change> changes) {
    return new Registry.ApplyRequest(
        definitions, OptionalLong.of(expected), ApplyAudits.of(repo.root(), summary(changes)));
  }

  /** The audit log's diff summary: every changed object, e.g. {@code +feature_views.trips}. */
  static String summary(List<Change> changes) {
    StringBuilder summary = new StringBuilder();
    for (int i = 0; i < changes.size(); i++) {
      if (i == SUMMARY_OBJECTS) {
        summary.append(", and ").append(changes.size() - i).append(" more");
        break;
      }
      summary.append(i == 0 ? "" : ", ").append(changes.get(i).type().symbol());
      summary.append(changes.get(i).path());
    }
    return summary.toString();
  }

  private static Definitions latestOf(Optional<RegistryVersion> latest) {
    return latest
        .map(RegistryVersion::definitions)
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.INTERNAL_ERROR,
                    "Cannot apply: the registry reported a conflict but holds no version"));
  }

  private static List<String> paths(List<Change> changes) {
    return changes.stream().map(Change::path).toList();
  }
}
