/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import dev.featurestore.registry.DefinitionException;
import dev.featurestore.registry.parse.ParseResult;
import dev.featurestore.registry.parse.ParsedDefinitions;
import dev.featurestore.registry.parse.SourceSchemaReader;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.util.List;
import java.util.Optional;

/** Validates a repo and computes its {@link Plan}; applies it. */
public final class Planner {
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
    return new Planner(repo, SourceSchemaCheck.installedReaders(), false);
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
   * Parses and validates the definitions, checks them against the sources' columns where the data
   * is reachable, and compares them with the latest applied version.
   *
   * @throws DefinitionException with every problem found, including a source that cannot be read (a
   *     corrupt file) and, unless {@link #allowingMissingSources()}, one with nothing at its path;
   *     sources are checked against the objects that parsed also when others have problems
   */
  public Plan plan() {
    // The sources are checked against what parsed even when other definitions have problems, so
    // that one run reports a column mismatch together with them.
    ParseResult read = repo.read();
    SourceSchemaCheck.Result check =
        SourceSchemaCheck.check(repo, read.parsed(), readers, allowMissingSources);
    ParsedDefinitions parsed = read.withProblems(check.problems()).orThrow();
    Optional<RegistryVersion> base = repo.registry().latest();
    List<Change> changes =
        DefinitionsDiff.diff(base.map(RegistryVersion::definitions), parsed.definitions());
    return new Plan(base, parsed.definitions(), changes, check.notes());
  }

  /** Stores a plan's definitions as a new version (unless they equal the latest). */
  public Registry.ApplyResult apply(Plan plan) {
    return repo.registry().apply(plan.definitions());
  }
}
