/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyAuditsTest {
  @TempDir Path dir;

  private void git(String... arguments) throws Exception {
    String[] command = new String[arguments.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(arguments, 0, command, 3, arguments.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void recordsTheCommitAndWhetherTheWorkTreeIsDirty() throws Exception {
    assertThat(ApplyAudits.git(dir)).isEmpty();
    git("init", "-q");
    assertThat(ApplyAudits.git(dir)).as("no commit yet").isEmpty();
    Files.writeString(dir.resolve("featurestore.yaml"), "project: p\n");
    git("add", "featurestore.yaml");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");

    assertThat(ApplyAudits.git(dir))
        .hasValueSatisfying(
            g -> {
              assertThat(g.commit()).hasSize(40);
              assertThat(g.dirty()).isFalse();
            });
    Files.writeString(dir.resolve("featurestore.yaml"), "project: q\n");
    assertThat(ApplyAudits.git(dir)).hasValueSatisfying(g -> assertThat(g.dirty()).isTrue());
  }

  @Test
  void namesTheUserAndHost() {
    assertThat(ApplyAudits.of(dir, "+a").user()).isNotBlank();
    assertThat(ApplyAudits.of(dir, "+a").host()).isNotBlank();
    assertThat(ApplyAudits.of(dir, "+a").summary()).isEqualTo("+a");
  }
}
