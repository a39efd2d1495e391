/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql.bench;

import dev.featurestore.registry.testing.PostgresFixture;
import dev.featurestore.registry.testing.RegistryTimings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
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
        .append(RegistryTimings.HEADER)
        .append(RegistryTimings.rows(locations, views, reps, work));
    report.append(
        "\nplan parses and validates every definition file and diffs against the latest version"
            + " (read from the backend); apply writes one version document, its audit entry and"
            + " any new value schemas in one commit (PostgreSQL: one transaction over a new"
            + " connection; file: a lock, a forced temporary file and a hard link).\n");
    Files.createDirectories(results.getParent());
    Files.writeString(results, report.toString());
    System.out.print(report);
  }
}
