/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.statistics.drift.DriftReport;
import dev.featurestore.statistics.drift.FeatureDrift;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The table {@code drift} prints: one line per feature, then the verdict. */
final class DriftTable {
  private DriftTable() {}

  static void print(
      DriftReport report, long trainingVersion, long registryVersion, PrintWriter out) {
    out.printf(
        "Drift of %s against %s%s (PSI threshold %s)%n",
        report.trainingSet(),
        report.against(),
        report
            .start()
            .map(s -> " rows in [" + s + ", " + report.end() + "]")
            .orElse(" at " + report.end()),
        number(report.threshold()));
    if (trainingVersion != registryVersion) {
      out.printf(
          "The training set was built with registry version %d; compared with version %d.%n",
          trainingVersion, registryVersion);
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"FEATURE", "TYPE", "PSI", "KS", "DRIFTED", "TRAINING", "CURRENT", "NOTE"});
    for (FeatureDrift feature : report.features()) {
      rows.add(
          new String[] {
            feature.reference(),
            feature.type().typeName(),
            score(feature.psi()),
            score(feature.ks()),
            feature.drifted() ? "yes" : "no",
            String.valueOf(feature.trainingRows()),
            String.valueOf(feature.currentRows()),
            feature.note().orElse("")
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    List<FeatureDrift> drifted = report.driftedFeatures();
    out.println(
        drifted.isEmpty()
            ? "No drift: every PSI is at most " + number(report.threshold()) + "."
            : "Drift found in "
                + drifted.size()
                + " of "
                + report.features().size()
                + " features: "
                + String.join(", ", drifted.stream().map(FeatureDrift::reference).toList())
                + ".");
  }

  private static String score(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.4f", value.getAsDouble()) : "-";
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }
}
