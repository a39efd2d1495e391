/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs applying to one file registry at once (an IT: it starts processes). */
class FileRegistryProcessesIT {
  @TempDir Path dir;

  @Test
  void concurrentAppliesFromTwoProcessesSerializeWithoutLosingAVersion() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      processes.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ApplyMain.class.getName(),
                  dir.toString(),
                  String.valueOf(1000 + p * 100),
                  "8")
              .redirectErrorStream(true)
              .start());
    }
    for (Process process : processes) {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.exitValue()).as(output).isZero();
    }

    FileRegistryTest.assertVersionsAreContiguousAndDistinct(dir, 16);
  }

  /** Applies {@code count} distinct contents; run by the two-process test. */
  static final class ApplyMain {
    public static void main(String[] args) {
      FileRegistry registry = FileRegistry.open(Path.of(args[0]));
      int first = Integer.parseInt(args[1]);
      for (int i = 0; i < Integer.parseInt(args[2]); i++) {
        if (!registry.apply(FileRegistryTest.ridesWithTtl(first + i)).created()) {
          throw new IllegalStateException("apply " + i + " created no version");
        }
      }
    }
  }
}
