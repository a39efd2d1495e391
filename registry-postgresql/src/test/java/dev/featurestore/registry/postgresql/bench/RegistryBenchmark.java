/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql.bench;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.plan.Plan;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.PostgresFixture;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times {@code plan} and {@code apply} of a repo with N feature views on each registry backend, in
 * one warm JVM (a command adds its JVM start on top): the first apply into an empty registry, then
 * repeated one-view edits (plan, then apply) against a registry that keeps growing. Writes {@code
 * benchmarks/results/registry.md}.
 *
 * <p>Arguments: {@code [views (200)] [repetitions (20)] [results file]}. PostgreSQL comes from
 * {@link PostgresFixture} (a private server, or {@code FEATURESTORE_TEST_POSTGRES_URL}); never the
 * shared instance on port 5432.
 */
public final class RegistryBenchmark {
  private RegistryBenchmark() {}

  public static void main(String[] args) throws IOException {
    int views = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path results =
        Path.of(args.length > 2 ? args[2] : "benchmarks/results/registry.md").toAbsolutePath();
    Path work = Files.createTempDirectory("featurestore-registry-bench-");
    Map<String, String> locations = new LinkedHashMap<>();
    locations.put("file (local folder)", work.resolve("file-registry").toString());
    PostgresFixture postgres = PostgresFixture.shared();
    locations.put(
        "postgresql (" + postgres.kind() + ")", postgres.location(PostgresFixture.uniqueSchema()));

    StringBuilder report = new StringBuilder();
    report
        .append("# Registry: plan and apply with ")
        .append(views)
        .append(" feature views\n\n")
        .append("Run ")
        .append(Instant.now())
        .append(" by `benchmarks/registry.sh ")
        .append(views)
        .append(' ')
        .append(reps)
        .append("`; one warm JVM (commands add ~1 s of JVM start), ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores. Milliseconds; median (min-max) over ")
        .append(reps)
        .append(" one-view edits.\n\n")
        .append(
            "| backend | first apply (empty registry) | plan (1 view changed) | apply (1 view"
                + " changed) | versions at the end |\n|---|---|---|---|---|\n");
    for (Map.Entry<String, String> backend : locations.entrySet()) {
      Path repoRoot = work.resolve("repo-" + report.length());
      Definitions definitions = TestDefinitions.manyViews("bench", views, 10);
      TestDefinitions.writeRepo(repoRoot, definitions);
      Files.writeString(
          repoRoot.resolve("featurestore.yaml"),
          "project: bench\nregistry: " + backend.getValue() + "\n");
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
      report
          .append("| ")
          .append(backend.getKey())
          .append(" | ")
          .append(String.format("%.0f", first))
          .append(" | ")
          .append(stats(plans))
          .append(" | ")
          .append(stats(applies))
          .append(" | ")
          .append(repo.registry().history().size())
          .append(" |\n");
      System.out.println(backend.getKey() + " done");
    }
    report.append(
        "\nplan parses and validates every definition file and diffs against the latest version"
            + " (read from the backend); apply writes one version document, its audit entry and"
            + " any new value schemas in one commit (PostgreSQL: one transaction over a new"
            + " connection; file: a lock, a forced temporary file and a hard link).\n");
    Files.createDirectories(results.getParent());
    Files.writeString(results, report.toString());
    System.out.print(report);
  }

  private static String stats(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return String.format(
        "%.1f (%.1f-%.1f)",
        sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }
}
