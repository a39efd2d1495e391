/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.FeatureStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWatermarksTest {
  @TempDir Path dir;

  @Test
  void storesOneFilePerViewAndReplacesIt() throws Exception {
    FileWatermarks store = new FileWatermarks(dir.resolve("watermarks"));
    assertThat(store.read("driver_stats")).isEmpty();

    store.write("driver_stats", Instant.parse("2026-11-22T07:00:00Z"));
    store.write("driver_stats", Instant.parse("2026-11-22T08:00:00Z"));
    store.write("trips", Instant.parse("2026-11-20T00:00:00Z"));

    assertThat(store.read("driver_stats")).contains(Instant.parse("2026-11-22T08:00:00Z"));
    assertThat(store.read("trips")).contains(Instant.parse("2026-11-20T00:00:00Z"));
    try (var files = Files.list(dir.resolve("watermarks"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("driver_stats.json", "trips.json");
    }
    assertThat(Files.readString(dir.resolve("watermarks/driver_stats.json")))
        .contains("\"view\" : \"driver_stats\"")
        .contains("\"watermark\" : \"2026-11-22T08:00:00Z\"");
    assertThat(store.all())
        .containsExactly(
            Map.entry("driver_stats", Instant.parse("2026-11-22T08:00:00Z")),
            Map.entry("trips", Instant.parse("2026-11-20T00:00:00Z")));
  }

  @Test
  void namesTheFileWhenItIsCorrupt() throws Exception {
    Files.createDirectories(dir.resolve("watermarks"));
    Path file = dir.resolve("watermarks/driver_stats.json");
    Files.writeString(file, "{\"watermark\": \"yesterday\"}");

    assertThatThrownBy(() -> FileRegistry.open(dir).watermarks().read("driver_stats"))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith(
            "Cannot read the watermark of feature view 'driver_stats' from " + file)
        .hasMessageEndingWith("(delete the file to start again from end - ttl)");
  }
}
