/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.testing.DefinitionsYaml;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generates a repo with 200 feature views (one file each, 10 features per view) and measures {@code
 * plan}: the first plan, {@code apply}, and a plan with one edit against the applied 200-view
 * version. Measures, does not assert a time: the figures go to {@code target/plan-200-views.txt}.
 * The repo stays in {@code target/plan-200-views-repo} so that {@code bin/featurestore plan --repo
 * feature-registry/target/plan-200-views-repo} can time the command.
 */
class PlanManyViewsTest {
  static final int VIEWS = 200;
  static final int FEATURES_PER_VIEW = 10;

  @Test
  void plansARepoWith200FeatureViews() throws IOException {
    Path repoDir = Path.of("target", "plan-200-views-repo");
    deleteRecursively(repoDir);
    Definitions definitions = TestDefinitions.manyViews("big", VIEWS, FEATURES_PER_VIEW);
    writeOneFilePerView(repoDir, definitions);

    long start = System.nanoTime();
    Plan first = Planner.of(FileFeatureRepo.open(repoDir), List.of()).plan();
    long firstPlanNanos = System.nanoTime() - start;
    assertThat(first.definitions()).isEqualTo(definitions);
    assertThat(first.changes()).hasSize(1 + 2 * VIEWS).noneMatch(Change::isBreaking);

    start = System.nanoTime();
    Planner.of(FileFeatureRepo.open(repoDir), List.of()).apply(first);
    long applyNanos = System.nanoTime() - start;

    Path edited = repoDir.resolve("features/view_0007.yaml");
    Files.writeString(edited, Files.readString(edited).replace("ttl: 8h", "ttl: 1h"));
    List<Long> editedPlans = new ArrayList<>();
    Plan plan = null;
    for (int i = 0; i < 5; i++) {
      start = System.nanoTime();
      plan = Planner.of(FileFeatureRepo.open(repoDir), List.of()).plan();
      editedPlans.add(System.nanoTime() - start);
    }
    assertThat(plan.changes())
        .singleElement()
        .satisfies(c -> assertThat(c.path()).isEqualTo("feature_views.view_0007"));
    assertThat(plan.breakingCount()).isEqualTo(1);

    editedPlans.sort(null);
    String report =
        String.format(
            "plan on a generated repo: %d feature views x %d features, one file per view%n"
                + "first plan (cold JVM, nothing applied):      %6.1f ms%n"
                + "apply of version 1:                          %6.1f ms%n"
                + "plan with one edit against version 1 (warm): median %.1f ms, min %.1f ms,"
                + " max %.1f ms over 5 runs%n",
            VIEWS,
            FEATURES_PER_VIEW,
            firstPlanNanos / 1e6,
            applyNanos / 1e6,
            editedPlans.get(2) / 1e6,
            editedPlans.get(0) / 1e6,
            editedPlans.get(4) / 1e6);
    Files.writeString(Path.of("target", "plan-200-views.txt"), report);
    System.out.print(report);
  }

  private static void writeOneFilePerView(Path root, Definitions definitions) throws IOException {
    Files.createDirectories(root.resolve("features"));
    Files.writeString(root.resolve("featurestore.yaml"), "project: big\n");
    Files.writeString(
        root.resolve("features/entities.yaml"),
        DefinitionsYaml.of(
            new Definitions("big", definitions.entities(), List.of(), List.of(), List.of())));
    for (FeatureView view : definitions.featureViews()) {
      Definitions one =
          new Definitions(
              "big", List.of(), List.of(definitions.sourceOf(view)), List.of(view), List.of());
      Files.writeString(root.resolve("features/" + view.name() + ".yaml"), DefinitionsYaml.of(one));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
