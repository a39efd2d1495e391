/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Helpers for "did you mean" hints in error messages. */
public final class Names {
  private Names() {}

  /**
   * Returns the candidate closest to {@code name} by edit distance, if it is close enough to be a
   * plausible typo (distance at most a third of the longer name, and at least 1 allowed).
   */
  public static Optional<String> closest(String name, Collection<String> candidates) {
    if (name == null || candidates.isEmpty()) {
      return Optional.empty();
    }
    return candidates.stream()
        .min(
            Comparator.comparingInt(
                    (String c) ->
                        distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()))
        .filter(
            c ->
                distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))
                    <= threshold(name, c));
  }

  /** Returns {@code " (did you mean 'x'?)"} or an empty string when nothing is close. */
  public static String didYouMean(String name, Collection<String> candidates) {
    return closest(name, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
  }

  private static int threshold(String a, String b) {
    return Math.max(2, Math.max(a.length(), b.length()) / 3);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
