/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.repo;

import dev.featurestore.registry.store.ApplyAudit;
import dev.featurestore.registry.store.ApplyAudit.GitState;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Collects the audit entry of an apply from the environment: the user ({@code FEATURESTORE_USER},
 * else the operating system user), the host name, and the repo's git commit and dirty flag. Git is
 * asked through the {@code git} command with a timeout; without git, or outside a work tree, the
 * entry simply has no git state (an apply never fails for it).
 */
public final class ApplyAudits {
  /** The environment variable naming who applies, e.g. a CI job's user. */
  public static final String USER_VARIABLE = "FEATURESTORE_USER";

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40,64}");
  private static final long GIT_TIMEOUT_SECONDS = 10;

  private ApplyAudits() {}

  /** The audit entry of an apply from the repo at {@code root} with this diff summary. */
  public static ApplyAudit of(Path root, String summary) {
    return new ApplyAudit(user(), host(), git(root), summary);
  }

  static String user() {
    String user = System.getenv(USER_VARIABLE);
    if (user == null || user.isBlank()) {
      user = System.getProperty("user.name");
    }
    return user == null || user.isBlank() ? ApplyAudit.UNKNOWN : user.strip();
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String host = System.getenv("HOSTNAME");
      return host == null || host.isBlank() ? ApplyAudit.UNKNOWN : host;
    }
  }

  /** The repo's git state; empty when git is absent, slow or the repo is not in a work tree. */
  static Optional<GitState> git(Path root) {
    Optional<String> head = run(root, "rev-parse", "--verify", "HEAD");
    if (head.isEmpty() || !COMMIT.matcher(head.get()).matches()) {
      return Optional.empty();
    }
    return run(root, "status", "--porcelain", "--", ".")
        .map(status -> new GitState(head.get(), !status.isEmpty()));
  }

  private static Optional<String> run(Path root, String... arguments) {
    List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
    command.addAll(List.of(arguments));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return Optional.empty(); // no git on this machine
    }
    try {
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(new String(output, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      process.destroyForcibly();
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Optional.empty();
    }
  }
}
