/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import static java.util.Objects.requireNonNull;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data quality report: one self-contained HTML file (styles inline, charts as SVG {@code data:}
 * URIs, no script, nothing fetched) with, per feature view of a registry version, its freshness,
 * latest statistics with a histogram or top-values chart per feature, check results and the
 * statistics history as small line charts; and the drift and verify tables when given.
 */
public final class QualityReport {
  private QualityReport() {}

  /** Gathers what the report shows of a registry version from the registry. */
  public static ReportData collect(
      Registry registry,
      RegistryVersion version,
      Instant now,
      Optional<DriftResults> drift,
      Optional<VerifyResults> verify) {
    requireNonNull(registry, "registry is null");
    requireNonNull(version, "version is null");
    Map<String, Instant> watermarks = registry.watermarks().all();
    List<ViewReport> views = new ArrayList<>();
    for (FeatureView view : version.definitions().featureViews()) {
      views.add(
          new ViewReport(
              view,
              Optional.ofNullable(watermarks.get(view.name())),
              registry.statistics().runs(view.name())));
    }
    return new ReportData(version, registry.location(), now, views, drift, verify);
  }

  /** Renders the report as one HTML document. */
  public static String render(ReportData data) {
    return new ReportPage(requireNonNull(data, "data is null")).render();
  }

  /**
   * Writes the report to a file (through a temporary file in the same folder, so a reader never
   * sees half a report).
   *
   * @throws FeatureStoreException INVALID_ARGUMENT when the output's folder does not exist
   */
  public static void write(ReportData data, Path output) {
    Path absolute = output.toAbsolutePath();
    Path folder = absolute.getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot write the report to %s: the folder %s does not exist (create it first)",
          output,
          folder);
    }
    String html = render(data);
    try {
      Path temporary =
          folder.resolve(
              "." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      try {
        Files.writeString(temporary, html, StandardCharsets.UTF_8);
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT, e, "Cannot write the report to %s: %s", output, e.toString());
    }
  }
}
