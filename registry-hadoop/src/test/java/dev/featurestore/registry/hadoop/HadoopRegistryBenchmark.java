/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.hadoop.testing.MiniHdfs;
import dev.featurestore.registry.plan.Plan;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code plan} and {@code apply} of a repo with N feature views (10 features each) against a
 * registry on HDFS (an in-process MiniDFSCluster, or {@code --registry hdfs://...} of a real one)
 * and, as the baseline, the same repo against a local folder registry. A main class, not a test:
 * {@code benchmarks/registry-hadoop.sh [--views 200] [--reps 5]} runs it and writes {@code
 * benchmarks/results/registry-hadoop.md}.
 */
public final class HadoopRegistryBenchmark {
  private HadoopRegistryBenchmark() {}

  public static void main(String[] args) throws IOException {
    int views = 200;
    int reps = 5;
    String registry = null;
    Path output = Path.of("benchmarks", "results", "registry-hadoop.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--views" -> views = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--registry" -> registry = args[++i];
        case "--output" -> output = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("featurestore-registry-bench-");
    Definitions definitions = TestDefinitions.manyViews("bench", views, 10);
    URI hdfs = registry == null ? MiniHdfs.freshUri() : URI.create(registry);
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "# Registry: plan and apply with %d feature views (10 features each)%n%n"
                + "One definition file; no source schema reader (the columns are not checked)."
                + " Each figure is the median of %d runs, in ms; `apply` includes its plan."
                + " HDFS: %s.%n%n"
                + "| registry | first plan | first apply (%d views) | plan, no change | plan,"
                + " one view edited | apply of the edit |%n|---|---|---|---|---|---|%n",
            views,
            reps,
            registry == null
                ? "an in-process MiniDFSCluster (NameNode and DataNode in this JVM)"
                : registry,
            views));
    report.append(
        row("local folder", work.resolve("local"), ".featurestore/registry", definitions, reps));
    report.append(row("HDFS", work.resolve("hdfs"), hdfs.toString(), definitions, reps));
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, report);
    System.out.print(report);
    System.exit(0);
  }

  private static String row(
      String name, Path root, String registry, Definitions definitions, int reps)
      throws IOException {
    List<Double> firstPlan = new ArrayList<>();
    List<Double> firstApply = new ArrayList<>();
    List<Double> unchanged = new ArrayList<>();
    List<Double> edited = new ArrayList<>();
    List<Double> editApply = new ArrayList<>();
    for (int rep = 0; rep < reps; rep++) {
      Path repo = TestDefinitions.writeRepo(root.resolve("rep" + rep), definitions);
      String location = registry.startsWith("hdfs:") ? registry + "/rep" + rep : registry;
      Files.writeString(
          repo.resolve("featurestore.yaml"), "project: bench\nregistry: " + location + "\n");
      Planner planner = Planner.of(FileFeatureRepo.open(repo), List.of());
      long start = System.nanoTime();
      planner.plan();
      firstPlan.add(millis(start));
      start = System.nanoTime();
      planner.apply(planner.plan());
      firstApply.add(millis(start));
      start = System.nanoTime();
      Plan none = planner.plan();
      unchanged.add(millis(start));
      if (none.hasChanges()) {
        throw new IllegalStateException("a plan after apply has changes");
      }
      Path file = repo.resolve("features/definitions.yaml");
      Files.writeString(file, Files.readString(file).replaceFirst("ttl: 2h", "ttl: 3h"));
      start = System.nanoTime();
      Plan edit = planner.plan();
      edited.add(millis(start));
      if (edit.changes().size() != 1) {
        throw new IllegalStateException("expected one changed view, got " + edit.changes());
      }
      start = System.nanoTime();
      planner.apply(planner.plan());
      editApply.add(millis(start));
    }
    return String.format(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
        name,
        median(firstPlan),
        median(firstApply),
        median(unchanged),
        median(edited),
        median(editApply));
  }

  private static double millis(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
