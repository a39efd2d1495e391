/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a command as a subprocess, as a user would, and measures it: wall time, and from {@code
 * /proc} every 50 ms the resident set size summed over the process and all its descendants (its
 * peak) and their CPU time (user + system, the last value seen of each process). Output goes to a
 * log file.
 *
 * @param seconds wall time from start to exit
 * @param cpuSeconds CPU time of the process tree (up to 50 ms of a process's end is not seen)
 * @param peakRssMb the largest sum of the tree's resident sets seen
 */
record ProcessRun(double seconds, double cpuSeconds, long peakRssMb) {
  private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

  /**
   * Runs {@code command} in {@code directory}, with {@code environment} added; fails with the log's
   * tail when it exits non-zero.
   */
  static ProcessRun run(
      List<String> command, Path directory, Map<String, String> environment, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    Process process = builder.start();
    long peakRssKb = 0;
    Map<Long, Long> cpuTicks = new HashMap<>();
    List<Long> pids = List.of(process.pid());
    // The tree is looked up once a second (a scan of /proc costs CPU the command lacks), the
    // resident sets of its processes every 50 ms.
    for (int sample = 1; !process.waitFor(50, TimeUnit.MILLISECONDS); sample++) {
      if (sample % 20 == 1) {
        pids = tree(process.pid());
      }
      long rssKb = 0;
      for (long pid : pids) {
        rssKb += MemorySampler.rssKb(String.valueOf(pid));
        long ticks = cpuTicks(pid);
        if (ticks >= 0) {
          cpuTicks.merge(pid, ticks, Math::max);
        }
      }
      peakRssKb = Math.max(peakRssKb, rssKb);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (process.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new IllegalStateException(
          "Cannot benchmark "
              + String.join(" ", command)
              + ": exit code "
              + process.exitValue()
              + "; last lines of "
              + log
              + ":\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
    }
    long ticks = cpuTicks.values().stream().mapToLong(Long::longValue).sum();
    return new ProcessRun(seconds, (double) ticks / CLOCK_TICKS, peakRssKb / 1024);
  }

  /** The process and all its descendants (from each process's parent in /proc/PID/stat). */
  private static List<Long> tree(long root) throws IOException {
    Map<Long, List<Long>> children = new HashMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String[] stat = stat(Long.parseLong(name));
        if (stat != null) {
          children
              .computeIfAbsent(Long.parseLong(stat[1]), p -> new ArrayList<>())
              .add(Long.parseLong(name));
        }
      }
    }
    List<Long> tree = new ArrayList<>(List.of(root));
    for (int i = 0; i < tree.size(); i++) {
      tree.addAll(children.getOrDefault(tree.get(i), List.of()));
    }
    return tree;
  }

  /** The fields of /proc/PID/stat after the command name: state, ppid, ...; null when gone. */
  private static String[] stat(long pid) {
    try {
      String text = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return text.substring(text.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null; // the process ended meanwhile
    }
  }

  /** utime + stime of the process, -1 when gone. */
  private static long cpuTicks(long pid) {
    String[] stat = stat(pid);
    // After the name: state(0) ppid(1) ... utime(11) stime(12)
    return stat == null ? -1 : Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
  }
}
