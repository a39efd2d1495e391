/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.quality;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one check of one feature on one set of rows.
 *
 * @param view the feature view
 * @param feature the feature
 * @param check the check: {@code min}, {@code max}, {@code max_null_fraction} or {@code allowed}
 * @param passed whether the rows satisfy the check
 * @param observed what the rows showed, as shown to people (e.g. {@code 7.3%}, {@code -0.2})
 * @param limit the declared limit, as shown to people (e.g. {@code 5%}, {@code 0})
 * @param message one line naming feature, observation and limit, e.g. {@code conv_rate: 7.3% nulls,
 *     max_null_fraction 5%}
 */
public record CheckResult(
    String view,
    String feature,
    String check,
    boolean passed,
    String observed,
    String limit,
    String message) {
  public CheckResult {
    requireNonNull(view, "view is null");
    requireNonNull(feature, "feature is null");
    requireNonNull(check, "check is null");
    requireNonNull(observed, "observed is null");
    requireNonNull(limit, "limit is null");
    requireNonNull(message, "message is null");
  }
}
