/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import static dev.featurestore.materializer.TestSupport.driverRow;
import static dev.featurestore.registry.testing.TestDefinitions.driverStats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.TestDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaEvolutionIT {
  @TempDir Path dir;

  @Test
  void valuesWrittenBeforeAFeatureWasAddedReadWithItNull() {
    String project = TestDefinitions.uniqueProject();
    FeatureView before =
        driverStats(Duration.ZERO, List.of(Feature.of("conv_rate", ValueType.FLOAT64)));
    FeatureView after =
        driverStats(
            Duration.ZERO,
            List.of(
                Feature.of("conv_rate", ValueType.FLOAT64), Feature.of("trips", ValueType.INT64)));
    Path parquet = dir.resolve("drivers");
    TestSupport.writeParquet(
        parquet,
        TestSupport.DRIVER_SCHEMA,
        List.of(
            driverRow(1L, "2026-11-20T10:00:00Z", null, 0.1, 10L),
            driverRow(2L, "2026-11-20T10:00:00Z", null, 0.2, 20L),
            driverRow(2L, "2026-11-21T10:00:00Z", null, 0.3, 30L)));
    Instant start = Instant.parse("2026-11-20T00:00:00Z");
    Instant day2 = Instant.parse("2026-11-21T00:00:00Z");
    Instant day3 = Instant.parse("2026-11-22T00:00:00Z");

    // Materialize day 1 with the old view, then add 'trips' and materialize day 2 only.
    TestSupport.materializer(TestDefinitions.driverProject(project, parquet, before))
        .materialize(List.of(), start, day2);
    TestSupport.materializer(TestDefinitions.driverProject(project, parquet, after))
        .materialize(List.of(), day2, day3);

    // The reader knows every schema ever applied, by fingerprint (as the registry does).
    Schema oldSchema = FeatureViewSchemas.schemaOf(project, before);
    Map<Long, Schema> registrySchemas =
        Map.of(FeatureViewSchemas.fingerprint(oldSchema), oldSchema);
    OnlineValueCodec reader = new OnlineValueCodec(project, after);

    byte[] old = TestSupport.redis().get(TestSupport.key(project, after, 1));
    assertThat(OnlineValueCodec.fingerprint(old))
        .isEqualTo(FeatureViewSchemas.fingerprint(oldSchema));
    OnlineValueCodec.DecodedValue oldValue =
        reader.decode(old, fp -> Optional.ofNullable(registrySchemas.get(fp)));
    assertThat(oldValue.values()).isEqualTo(Arrays.asList(0.1, null));

    byte[] current = TestSupport.redis().get(TestSupport.key(project, after, 2));
    assertThat(OnlineValueCodec.fingerprint(current)).isEqualTo(reader.fingerprint());
    assertThat(reader.decode(current, fp -> Optional.empty()).values())
        .isEqualTo(Arrays.asList(0.3, 30L));
  }
}
