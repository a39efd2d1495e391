/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
  @Mixin PlanOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(options.planner().plan().render());
    return 0;
  }
}
