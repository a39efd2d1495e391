/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.testing.StatisticsRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file layout of the statistics history and what it does with damaged or stray files. */
class FileStatisticsHistoryTest {
  private static final Instant AT = Instant.parse("2026-12-02T05:50:28.123Z");

  @TempDir Path registryFolder;

  private FileRegistry registry() {
    return FileRegistry.open(registryFolder);
  }

  @Test
  void storesARunAsOneFileNamedByItsTimeAndId() throws Exception {
    StatisticsRun run = StatisticsRuns.run("driver_stats", "5b0e", AT, 4);
    registry().statistics().append(run);

    Path file =
        registryFolder.resolve("statistics/driver_stats/20261202T055028.123000000Z-5b0e.json");
    assertThat(file).isRegularFile();
    assertThat(Files.readString(file))
        .contains("\"run_id\" : \"5b0e\"")
        .contains("\"computed_at\" : \"2026-12-02T05:50:28.123Z\"")
        .contains("\"origin\" : \"materialize\"");
    try (var files = Files.list(registryFolder.resolve("statistics/driver_stats"))) {
      assertThat(files).hasSize(1); // no temporary file left
    }
  }

  @Test
  void ignoresTemporaryAndStrayFiles() throws Exception {
    StatisticsRun run = StatisticsRuns.run("driver_stats", "r1", AT, 4);
    registry().statistics().append(run);
    Path folder = registryFolder.resolve("statistics/driver_stats");
    Files.writeString(folder.resolve(".20261202T060000.000000000Z-r2.json.abc.tmp"), "{\"run");
    Files.writeString(folder.resolve("README.txt"), "notes");

    assertThat(registry().statistics().runs("driver_stats")).containsExactly(run);
  }

  @Test
  void aCorruptRunFileIsAnInternalErrorNamingTheFile() throws Exception {
    registry().statistics().append(StatisticsRuns.run("driver_stats", "r1", AT, 4));
    Path file =
        registryFolder.resolve("statistics/driver_stats/20261202T055028.123000000Z-r1.json");
    Files.writeString(file, "{\"run_id\": \"r1\", \"view\": ");

    assertThatThrownBy(() -> registry().statistics().runs("driver_stats"))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR))
        .hasMessageStartingWith(
            "Cannot read the statistics run " + file + ": Cannot read StatisticsRun from JSON: ")
        .hasMessageEndingWith(
            " (move the file or row away to keep the rest of the history readable)");
  }

  @Test
  void aRunFileOfAnotherViewIsAnInternalError() throws Exception {
    registry().statistics().append(StatisticsRuns.run("trips", "r1", AT, 4));
    Path folder = Files.createDirectories(registryFolder.resolve("statistics/driver_stats"));
    Path moved = folder.resolve("20261202T055028.123000000Z-r1.json");
    Files.move(
        registryFolder.resolve("statistics/trips/20261202T055028.123000000Z-r1.json"), moved);

    assertThatThrownBy(() -> registry().statistics().runs("driver_stats"))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot read the statistics run "
                + moved
                + ": it is a run of view 'trips', stored under 'driver_stats' (move the file or"
                + " row away to keep the rest of the history readable)");
  }

  @Test
  void refusesAViewNameThatIsNotAnIdentifier() {
    assertThatThrownBy(() -> registry().statistics().runs("../versions"))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot read the statistics history of feature view '../versions': not a feature view"
                + " name (lowercase letters, digits and '_', starting with a letter or '_')");
  }

  @Test
  void fileNamesSortInTimeOrder() {
    assertThat(StatisticsDocuments.fileTime(Instant.parse("2026-01-02T03:04:05Z")))
        .isEqualTo("20260102T030405.000000000Z");
    assertThat(StatisticsDocuments.fileTime(Instant.parse("2026-01-02T03:04:05.000000001Z")))
        .isGreaterThan(StatisticsDocuments.fileTime(Instant.parse("2026-01-02T03:04:05Z")));
    assertThat(StatisticsDocuments.runIdOf("20260102T030405.000000000Z-a-b.json")).contains("a-b");
    assertThat(StatisticsDocuments.runIdOf(".20260102T030405.000000000Z-a.json.x.tmp")).isEmpty();
  }
}
