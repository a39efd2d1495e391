/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.plan.Plan;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.store.Registry.ApplyResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Validate the definitions and store them as a new immutable registry version.",
      "Identical definitions create no new version. Breaking changes are refused (exit 3)"
          + " unless --allow-breaking is given."
    })
final class ApplyCommand implements Callable<Integer> {
  @Mixin PlanOptions options;

  @Option(
      names = "--allow-breaking",
      description = "Apply breaking changes too (without it, apply refuses them and exits 3).")
  boolean allowBreaking;

  @Option(
      names = "--expect-version",
      paramLabel = "N",
      description = {
        "Apply only if version N is still the latest (0: nothing applied yet); fails with a",
        "CONFLICT otherwise. Without it, an apply that loses a race plans again against the",
        "new latest version."
      })
  Long expectVersion;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Planner planner = options.planner();
    Plan plan = planner.plan();
    out.print(plan.render());
    if (!plan.hasChanges()) {
      if (expectVersion != null) {
        planner.checkExpectedVersion(plan, expectVersion);
      }
      out.println(
          plan.base()
              .map(v -> "Nothing to apply: version " + v.number() + " is current.")
              .orElse("Nothing to apply: the repo defines no objects yet."));
      return 0;
    }
    if (expectVersion != null) {
      // A stale expectation first: the breaking changes of a plan on another base are not the ones
      // that were reviewed.
      planner.checkExpectedVersion(plan, expectVersion);
    }
    if (!allowBreaking) {
      out.flush();
      plan.requireNoBreakingChanges("apply the plan", "pass --allow-breaking to apply them");
    }
    ApplyResult result =
        expectVersion == null ? planner.apply(plan) : planner.apply(plan, expectVersion);
    if (result.created()) {
      out.printf(
          "Applied version %d (sha256 %s) at %s.%n",
          result.version().number(),
          result.version().contentHash().substring(0, 12),
          result.version().appliedAt());
    } else {
      out.printf(
          "Nothing to apply: version %d (applied concurrently) holds these definitions.%n",
          result.version().number());
    }
    return 0;
  }
}
