/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.plan.Plan;
import dev.featurestore.registry.plan.PlanJson;
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
      "Exits 0 even when there are changes, 1 when the definitions are invalid, 3 with"
          + " --fail-on-breaking when a change is breaking."
    })
final class PlanCommand implements Callable<Integer> {
  @Mixin PlanOptions options;

  @Option(
      names = "--json",
      description =
          "Print the plan as JSON (the shape is documented in docs/registry.md and stable).")
  boolean json;

  @Option(
      names = "--fail-on-breaking",
      description =
          "Exit 3 (after printing the plan) when a change is breaking: a pull-request gate.")
  boolean failOnBreaking;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Plan plan = options.planner().plan();
    spec.commandLine().getOut().print(json ? PlanJson.render(plan) : plan.render());
    spec.commandLine().getOut().flush();
    if (failOnBreaking) {
      plan.requireNoBreakingChanges(
          "pass the breaking-change gate",
          "apply them with featurestore apply --allow-breaking when they are intended");
    }
    return 0;
  }
}
