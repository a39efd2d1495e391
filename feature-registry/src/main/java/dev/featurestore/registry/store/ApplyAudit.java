/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The audit entry of an apply: who applied, from which host and repo commit, and what changed. The
 * registry stores it with the version it created (the time is the version's {@code appliedAt}), in
 * the same atomic write, so the log is complete and append-only.
 *
 * @param user {@code FEATURESTORE_USER}, else the operating system user
 * @param host the host name of the machine that applied
 * @param git the repo's commit, when the repo is in git
 * @param summary the diff summary, e.g. {@code "+1 feature_view, ~1 entity"}
 */
public record ApplyAudit(String user, String host, Optional<GitState> git, String summary) {
  /** The value of {@link #user} and {@link #host} when they could not be found. */
  public static final String UNKNOWN = "unknown";

  public ApplyAudit {
    requireNonNull(user, "user is null");
    requireNonNull(host, "host is null");
    requireNonNull(git, "git is null");
    requireNonNull(summary, "summary is null");
  }

  /** An entry with no details, for applies that are not made by a command. */
  public static ApplyAudit unknown() {
    return new ApplyAudit(UNKNOWN, UNKNOWN, Optional.empty(), "");
  }

  /**
   * The git state of the repo at apply time.
   *
   * @param commit the full commit hash of {@code HEAD}
   * @param dirty whether the work tree had uncommitted changes
   */
  public record GitState(String commit, boolean dirty) {
    public GitState {
      requireNonNull(commit, "commit is null");
    }
  }
}
