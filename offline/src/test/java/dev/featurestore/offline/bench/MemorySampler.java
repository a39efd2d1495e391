/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples the process resident set size (native memory included) and the heap every 50 ms. */
final class MemorySampler {
  private volatile long peakRssKb;
  private volatile long peakHeap;

  void start() {
    Thread thread =
        new Thread(
            () -> {
              while (true) {
                peakRssKb = Math.max(peakRssKb, rssKb());
                peakHeap =
                    Math.max(
                        peakHeap,
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            },
            "memory-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private volatile long baselineRssKb;

  void reset() {
    baselineRssKb = rssKb();
    peakRssKb = baselineRssKb;
    peakHeap = 0;
  }

  /** How far the process's RSS rose above its size at {@link #reset}: native memory (DuckDB). */
  long rssGrowthMb() {
    return Math.max(0, peakRssKb - baselineRssKb) / 1024;
  }

  long peakRssMb() {
    return peakRssKb / 1024;
  }

  long peakHeapMb() {
    return peakHeap >> 20;
  }

  private static long rssKb() {
    return rssKb("self");
  }

  /** The resident set of a process ({@code self} or a pid) in KB, 0 when it has ended. */
  static long rssKb(String pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
