/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.plan.Planner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the commands that plan (plan, apply): the repo, and how missing data counts. */
final class PlanOptions {
  @Mixin RepoOptions repo;

  @Option(
      names = "--allow-missing-sources",
      description =
          "Note a source with nothing at its parquet: path instead of failing (its data is"
              + " written later).")
  boolean allowMissingSources;

  Planner planner() {
    Planner planner = Planner.of(repo.open());
    return allowMissingSources ? planner.allowingMissingSources() : planner;
  }
}
