/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.plan.Plan;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.repo.FileFeatureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one measurement of the registry benchmarks ({@code benchmarks/registry.sh}), whatever the
 * backend: for a repo with N feature views (10 features each), the first apply into an empty
 * registry, then repeated one-view edits (plan, then apply) against a registry that keeps growing,
 * in one warm JVM.
 */
public final class RegistryTimings {
  /** The header of the table {@link #row} writes rows of. */
  public static final String HEADER =
      "| backend | first apply (empty registry) | plan (1 view changed) | apply (1 view"
          + " changed) | versions at the end |\n|---|---|---|---|---|\n";

  private RegistryTimings() {}

  /** Measures every backend, by name to {@code registry:} location; returns the table rows. */
  public static String rows(Map<String, String> locations, int views, int reps, Path work)
      throws IOException {
    StringBuilder rows = new StringBuilder();
    for (Map.Entry<String, String> backend : locations.entrySet()) {
      rows.append(row(backend.getKey(), backend.getValue(), views, reps, work));
      System.out.println(backend.getKey() + " done");
    }
    return rows.toString();
  }

  /** Measures one backend and returns its table row. */
  public static String row(String name, String location, int views, int reps, Path work)
      throws IOException {
    Path repoRoot = Files.createTempDirectory(work, "repo-");
    Definitions definitions = TestDefinitions.manyViews("bench", views, 10);
    TestDefinitions.writeRepo(repoRoot, definitions);
    Files.writeString(
        repoRoot.resolve("featurestore.yaml"), "project: bench\nregistry: " + location + "\n");
    FileFeatureRepo repo = FileFeatureRepo.open(repoRoot);
    Planner planner = Planner.of(repo, List.of()).allowingMissingSources();
    long start = System.nanoTime();
    planner.apply(planner.plan());
    double first = (System.nanoTime() - start) / 1e6;
    List<Double> plans = new ArrayList<>();
    List<Double> applies = new ArrayList<>();
    Path file = repoRoot.resolve("features/definitions.yaml");
    for (int r = 0; r < reps; r++) {
      String text = Files.readString(file);
      Files.writeString(file, text.replaceFirst("ttl: \\S+", "ttl: " + (100 + r) + "h"));
      start = System.nanoTime();
      Plan plan = planner.plan();
      plans.add((System.nanoTime() - start) / 1e6);
      start = System.nanoTime();
      planner.apply(plan);
      applies.add((System.nanoTime() - start) / 1e6);
    }
    return "| "
        + name
        + " | "
        + String.format("%.0f", first)
        + " | "
        + stats(plans)
        + " | "
        + stats(applies)
        + " | "
        + repo.registry().history().size()
        + " |\n";
  }

  private static String stats(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return String.format(
        "%.1f (%.1f-%.1f)",
        sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }
}
