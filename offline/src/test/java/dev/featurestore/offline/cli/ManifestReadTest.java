/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code _manifest.json} read back by the commands that use a training set (drift). */
class ManifestReadTest {
  @TempDir Path dir;

  @Test
  void readsTheFeaturesAndColumnsAndIgnoresUnknownFields() throws Exception {
    Files.writeString(
        dir.resolve("_manifest.json"),
        """
        {"project": "rides", "registry_version": 3, "feature_references":
          ["driver_stats:conv_rate", "driver_stats:trips"],
         "columns": ["driver_id", "event_timestamp", "conv_rate", "trips"],
         "output_rows": 10, "from_a_newer_writer": true}
        """);

    Manifest manifest = TrainingSetRunner.readManifest("compute drift", dir.toString());

    assertThat(manifest.registryVersion()).isEqualTo(3);
    assertThat(manifest.featureReferences())
        .containsExactly("driver_stats:conv_rate", "driver_stats:trips");
    assertThat(manifest.columns()).endsWith("conv_rate", "trips");
  }

  @Test
  void namesAFolderWithoutAManifest() {
    assertThatThrownBy(() -> TrainingSetRunner.readManifest("compute drift", dir.toString()))
        .isInstanceOf(FeatureStoreException.class)
        .hasFieldOrPropertyWithValue("errorCode", ErrorCode.NOT_FOUND)
        .hasMessage(
            "Cannot compute drift: %s has no _manifest.json; give the --output folder of"
                + " `featurestore training-set`",
            dir);
  }

  @Test
  void rejectsAFileThatIsNotAManifest() throws Exception {
    Files.writeString(dir.resolve("_manifest.json"), "[1, 2]");

    assertThatThrownBy(() -> TrainingSetRunner.readManifest("compute drift", dir.toString()))
        .isInstanceOf(FeatureStoreException.class)
        .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_DATA)
        .hasMessageStartingWith("Cannot compute drift: ")
        .hasMessageContaining("_manifest.json is not a training set manifest: ");
  }
}
