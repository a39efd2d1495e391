/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.examples;

import dev.featurestore.commandrunner.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Commands for the example repo: {@code generate-example-data} writes the Parquet sources and the
 * labelled ride requests of examples/rides; {@code show} prints the first rows of a Parquet file or
 * folder (a training set, a source).
 */
@Command(
    name = "featurestore",
    mixinStandardHelpOptions = true,
    subcommands = {ExamplesCli.Generate.class, ExamplesCli.Show.class},
    description = "Example data commands.")
public final class ExamplesCli {
  private ExamplesCli() {}

  /** Runs a command and exits ({@link CommandRunner}: 0 success, 1 error, 2 bad usage). */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and returns its exit code. */
  public static int run(String... args) {
    return CommandRunner.run(new ExamplesCli(), args);
  }

  @Command(
      name = "generate-example-data",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the deterministic Parquet sources of the ride-hailing example (about 510,000 rows)"
            + " to DIR/data/, and labelled ride requests to DIR/data/ride_requests.csv.",
        "Timestamps are relative to --now, so lookups right after show current values."
      })
  static final class Generate implements Callable<Integer> {
    @Option(names = "--repo", defaultValue = "examples/rides", description = "The example repo.")
    Path repo;

    @Option(
        names = "--now",
        paramLabel = "T",
        description = "The instant the data ends at (ISO-8601, default: the current time).")
    String now;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default 42).")
    long seed;

    @Option(
        names = "--requests",
        defaultValue = "10000",
        description = "Number of labelled ride requests (default 10000).")
    int requests;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
      Instant anchor = parse(now);
      long started = System.nanoTime();
      RidesData data = new RidesData(anchor, seed);
      Path dir = repo.resolve("data").toAbsolutePath().normalize();
      Files.createDirectories(dir);
      long rows =
          write(
                  dir.resolve("driver_hourly_stats"),
                  RidesData.DRIVER_HOURLY_SCHEMA,
                  data.driverHourlyStats())
              + write(
                  dir.resolve("driver_daily"), RidesData.DRIVER_DAILY_SCHEMA, data.driverDaily())
              + write(
                  dir.resolve("customer_profile"),
                  RidesData.CUSTOMER_PROFILE_SCHEMA,
                  data.customerProfile())
              + write(dir.resolve("trips"), RidesData.TRIPS_SCHEMA, data.trips());
      Files.write(dir.resolve("ride_requests.csv"), data.rideRequestsCsv(requests));
      System.out.printf(
          "Generated %,d feature rows and %,d labelled ride requests (data/ride_requests.csv),"
              + " ending at %s, in %.1f s%n",
          rows, requests, anchor, (System.nanoTime() - started) / 1e9);
      return 0;
    }

    private long write(Path path, String schema, List<Object[]> rows) throws IOException {
      ParquetFiles.write(path, schema, rows);
      System.out.printf("  %-40s %,9d rows%n", "data/" + path.getFileName(), rows.size());
      return rows.size();
    }

    private static Instant parse(String value) {
      if (value == null || value.equalsIgnoreCase("now")) {
        return Instant.now();
      }
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(new Generate()),
            "Invalid --now '"
                + value
                + "': expected an ISO-8601 instant such as 2026-11-22T08:00:00Z");
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Prints the first rows of a Parquet file or folder (e.g. a training set).")
  static final class Show implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "A Parquet file or folder.")
    Path path;

    @Option(names = "--rows", defaultValue = "5", description = "How many rows (default 5).")
    int rows;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
      if (!Files.exists(path)) {
        throw new CommandLine.ParameterException(
            new CommandLine(new Show()), "Cannot show " + path + ": no such file or folder");
      }
      ParquetPreview.print(path, rows, System.out);
      return 0;
    }
  }
}
