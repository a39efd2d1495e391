/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.plan.Planner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Validate the definitions and show what apply would change: added, changed (field by field)"
          + " and removed objects, with breaking changes flagged.",
      "Exits 0 even when there are changes, 1 when the definitions are invalid."
    })
final class PlanCommand implements Callable<Integer> {
  @Mixin RepoOptions options;

  @Spec CommandSpec spec;

  @Option(
      names = "--allow-missing-sources",
      description =
          "Note a source with nothing at its parquet: path instead of failing (its data is"
              + " written later).")
  boolean allowMissingSources;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(planner().plan().render());
    return 0;
  }

  private Planner planner() {
    Planner planner = Planner.of(options.open());
    return allowMissingSources ? planner.allowingMissingSources() : planner;
  }
}
