/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import dev.featurestore.registry.hadoop.testing.MiniHdfs;
import dev.featurestore.registry.testing.RegistryTimings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The registry benchmark's HDFS row ({@link RegistryTimings}, as for the other backends): {@code
 * benchmarks/registry.sh} runs it after the local folder and PostgreSQL and appends its table to
 * {@code benchmarks/results/registry.md}.
 *
 * <p>Arguments: {@code [views (200)] [repetitions (20)] [results file] [registry URI]}; without a
 * URI (or with {@code -}) it starts an in-process HDFS (MiniDFSCluster: a NameNode and a DataNode
 * in this JVM, so every RPC is loopback).
 */
public final class HadoopRegistryBenchmark {
  private HadoopRegistryBenchmark() {}

  public static void main(String[] args) throws IOException {
    int views = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path results =
        Path.of(args.length > 2 ? args[2] : "benchmarks/results/registry.md").toAbsolutePath();
    boolean inProcess = args.length < 4 || args[3].equals("-");
    String location = inProcess ? MiniHdfs.freshUri().toString() : args[3];
    Path work = Files.createTempDirectory("featurestore-registry-bench-");
    String name = inProcess ? "hdfs (in-process MiniDFSCluster)" : "hdfs (" + location + ")";
    String section =
        "\n## HDFS\n\nThe same measurement on a registry on HDFS (`registry-hadoop`).\n\n"
            + RegistryTimings.HEADER
            + RegistryTimings.row(name, location, views, reps, work)
            + "\napply writes the version to a temporary file (closed: every block acknowledged by"
            + " the DataNode), then renames it to its number: a handful of NameNode RPCs plus one"
            + " block write.\n";
    Files.createDirectories(results.getParent());
    Files.writeString(results, section, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.print(section);
    System.exit(0); // ends the in-process HDFS's threads
  }
}
