/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureChecks;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ParquetSource;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.store.Registry.ApplyResult;
import dev.featurestore.registry.testing.TestDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRegistryTest {
  @TempDir Path dir;

  static Definitions ridesWithTtl(int hours) {
    return TestDefinitions.ridesWithTtl(hours);
  }

  @Test
  void storesNumberedImmutableVersions() {
    FileRegistry registry = FileRegistry.open(dir);
    assertThat(registry.latest()).isEmpty();
    assertThat(registry.history()).isEmpty();

    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    ApplyResult first = registry.apply(TestDefinitions.rides());
    ApplyResult second = registry.apply(ridesWithTtl(1));

    assertThat(first.created()).isTrue();
    assertThat(first.version().number()).isEqualTo(1);
    assertThat(first.version().appliedAt()).isBetween(before, Instant.now());
    assertThat(first.version().contentHash())
        .isEqualTo(DefinitionsJson.contentHash(TestDefinitions.rides()))
        .hasSize(64);
    assertThat(second.version().number()).isEqualTo(2);
    assertThat(second.version().contentHash()).isNotEqualTo(first.version().contentHash());
    assertThat(dir.resolve("versions/v000001.json")).isRegularFile();
    assertThat(dir.resolve("versions/v000002.json")).isRegularFile();

    FileRegistry reopened = FileRegistry.open(dir);
    assertThat(reopened.latest()).contains(second.version());
    assertThat(reopened.version(1)).isEqualTo(first.version());
    assertThat(reopened.version(1).definitions()).isEqualTo(TestDefinitions.rides());
    assertThat(reopened.history()).containsExactly(first.version(), second.version());
  }

  @Test
  void readingNeverWrites() {
    Path location = dir.resolve("not-yet");
    FileRegistry registry = FileRegistry.open(location);

    assertThat(registry.latest()).isEmpty();
    assertThat(registry.history()).isEmpty();
    assertThat(registry.schema(42)).isEmpty();
    assertThat(location).doesNotExist();

    registry.apply(TestDefinitions.rides());
    assertThat(location.resolve("versions/v000001.json")).isRegularFile();
  }

  @Test
  void identicalDefinitionsCreateNoVersion() throws IOException {
    FileRegistry registry = FileRegistry.open(dir);
    ApplyResult first = registry.apply(TestDefinitions.rides());
    byte[] stored = Files.readAllBytes(dir.resolve("versions/v000001.json"));

    ApplyResult again = FileRegistry.open(dir).apply(TestDefinitions.rides());

    assertThat(again.created()).isFalse();
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(versionFiles(dir)).containsExactly("v000001.json");
    assertThat(Files.readAllBytes(dir.resolve("versions/v000001.json"))).isEqualTo(stored);
  }

  @Test
  void reportsAMissingVersionNumber() {
    FileRegistry registry = FileRegistry.open(dir);
    assertThatThrownBy(() -> registry.version(1))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("Cannot find registry version 1: nothing has been applied yet");

    registry.apply(TestDefinitions.rides());

    assertThatThrownBy(() -> registry.version(7))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage("Cannot find registry version 7: versions are 1 to 1")
        .extracting(e -> ((FeatureStoreException) e).errorCode())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void reportsACorruptAppliedAtWithoutARawException() throws IOException {
    FileRegistry.open(dir).apply(TestDefinitions.rides());
    Path file = dir.resolve("versions/v000001.json");
    String json = Files.readString(file);
    Files.writeString(
        file,
        json.replaceFirst("\"applied_at\"\\s*:\\s*\"[^\"]*\"", "\"applied_at\":\"yesterday\""));

    assertThatThrownBy(() -> FileRegistry.open(dir).version(1))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR))
        .hasMessage(
            "Cannot read registry version 1: "
                + file
                + " has an invalid applied_at 'yesterday' (expected an ISO-8601 instant)");
  }

  @Test
  void keepsEverySchemaEverApplied() {
    FileRegistry registry = FileRegistry.open(dir);
    Definitions rides = TestDefinitions.rides();
    registry.apply(rides);
    FeatureView daily = rides.requireFeatureView("driver_daily");
    Schema oldSchema = FeatureViewSchemas.schemaOf("rides", daily);
    long oldFingerprint = FeatureViewSchemas.fingerprint(oldSchema);

    Definitions withoutDaily =
        new Definitions(
            "rides",
            rides.entities(),
            rides.sources(),
            rides.featureViews().stream().filter(v -> !v.name().equals("driver_daily")).toList(),
            List.of());
    registry.apply(withoutDaily);

    assertThat(FileRegistry.open(dir).schema(oldFingerprint)).contains(oldSchema);
    assertThat(registry.schemaFingerprints(1)).containsEntry("driver_daily", oldFingerprint);
    assertThat(registry.schemaFingerprints(2)).doesNotContainKey("driver_daily").hasSize(3);
    assertThat(registry.schema(oldFingerprint + 1)).isEmpty();
    assertThat(dir.resolve("schemas/" + FileRegistry.hex(oldFingerprint) + ".avsc"))
        .isRegularFile();
  }

  @Test
  void aCrashBetweenWriteAndCommitLeavesThePreviousVersion() throws IOException {
    FileRegistry registry = FileRegistry.open(dir);
    RegistryVersion first = registry.apply(TestDefinitions.rides()).version();
    registry.beforeCommit =
        () -> {
          throw new IllegalStateException("simulated crash");
        };

    assertThatThrownBy(() -> registry.apply(ridesWithTtl(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("simulated crash");

    // The new version was fully written to a temporary file, but never committed.
    try (Stream<Path> files = Files.list(dir.resolve("versions"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .hasSize(2)
          .contains("v000001.json")
          .anyMatch(name -> name.startsWith(".v000002.json.") && name.endsWith(".tmp"));
    }
    FileRegistry afterCrash = FileRegistry.open(dir);
    assertThat(afterCrash.latest()).contains(first);
    assertThat(afterCrash.history()).containsExactly(first);

    // A half-written leftover is ignored too, and the next apply cleans up.
    Files.writeString(dir.resolve("versions/.v000002.json.x.tmp"), "{\"number\": 2, \"defin");
    assertThat(afterCrash.latest()).contains(first);
    RegistryVersion second = afterCrash.apply(ridesWithTtl(1)).version();

    assertThat(second.number()).isEqualTo(2);
    assertThat(versionFiles(dir)).containsExactly("v000001.json", "v000002.json");
    assertThat(FileRegistry.open(dir).version(2).definitions()).isEqualTo(ridesWithTtl(1));
  }

  @Test
  void concurrentAppliesFromThreadsSerializeWithoutLosingAVersion() throws Exception {
    int threads = 4;
    int appliesPerThread = 5;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    CyclicBarrier sharedApplied = new CyclicBarrier(threads);
    List<Future<List<ApplyResult>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                FileRegistry registry = FileRegistry.open(dir);
                start.await();
                List<ApplyResult> results = new ArrayList<>();
                // All threads apply the same content at once: exactly one creates a version.
                results.add(registry.apply(ridesWithTtl(1)));
                sharedApplied.await(60, TimeUnit.SECONDS);
                // Then each applies its own distinct contents, interleaved with the others.
                for (int i = 1; i < appliesPerThread; i++) {
                  results.add(registry.apply(ridesWithTtl(100 + thread * appliesPerThread + i)));
                }
                return results;
              }));
    }
    start.countDown();
    List<ApplyResult> results = new ArrayList<>();
    for (Future<List<ApplyResult>> future : futures) {
      results.addAll(future.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();

    // One version per distinct content: the shared one once, plus each thread's own 4.
    int distinct = 1 + threads * (appliesPerThread - 1);
    assertThat(results.stream().filter(ApplyResult::created).count()).isEqualTo(distinct);
    assertThat(results.stream().filter(r -> !r.created()).map(r -> r.version().number()))
        .containsExactly(1L, 1L, 1L);
    assertVersionsAreContiguousAndDistinct(dir, distinct);
  }

  /** Asserts versions 1 to {@code count} exist, each with its own content, one file each. */
  @Test
  void refusesAVersionWrittenInANewerFormatSayingWhichIsNeeded() throws IOException {
    FileRegistry.open(dir).apply(TestDefinitions.rides());
    Path file = dir.resolve("versions/v000001.json");
    Files.writeString(
        file, Files.readString(file).replace("\"format_version\" : 1", "\"format_version\" : 4"));

    assertThatThrownBy(() -> FileRegistry.open(dir).latest())
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot use registry "
                + file
                + ": it was written in registry format 4, and this featurestore reads format 1 at"
                + " most; upgrade featurestore to a release that supports format 4");
    assertThatThrownBy(() -> FileRegistry.open(dir).apply(TestDefinitions.ridesWithTtl(77)))
        .hasMessageContaining("written in registry format 4");
    assertThat(dir.resolve("versions/v000002.json")).doesNotExist();
  }

  @Test
  void keepsTheAuditEntryInTheVersionFile() throws IOException {
    FileRegistry.open(dir)
        .apply(
            new Registry.ApplyRequest(
                TestDefinitions.rides(),
                OptionalLong.of(0),
                new ApplyAudit("ana", "ci-7", Optional.empty(), "+entities.driver")));

    assertThat(Files.readString(dir.resolve("versions/v000001.json")))
        .contains(
            "\"audit\" : {\n    \"user\" : \"ana\",\n    \"host\" : \"ci-7\",\n    \"summary\" :"
                + " \"+entities.driver\"\n  }");
  }

  static void assertVersionsAreContiguousAndDistinct(Path dir, int count) throws IOException {
    FileRegistry registry = FileRegistry.open(dir);
    List<RegistryVersion> history = registry.history();
    assertThat(history).extracting(RegistryVersion::number).hasSize(count);
    for (int i = 0; i < count; i++) {
      RegistryVersion version = history.get(i);
      assertThat(version.number()).isEqualTo(i + 1);
      assertThat(version.contentHash())
          .isEqualTo(DefinitionsJson.contentHash(version.definitions()));
    }
    Set<String> hashes = new HashSet<>();
    history.forEach(v -> hashes.add(v.contentHash()));
    assertThat(hashes).hasSize(count);
    assertThat(versionFiles(dir)).hasSize(count).allMatch(n -> n.matches("v\\d{6}\\.json"));
  }

  private static List<String> versionFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("versions"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void canonicalJsonRoundTripsAndIgnoresDeclarationOrder() {
    Definitions rides = TestDefinitions.rides();
    Definitions reversed =
        new Definitions(
            rides.project(),
            reversed(rides.entities()),
            reversed(rides.sources()),
            reversed(rides.featureViews()),
            rides.featureServices());

    assertThat(DefinitionsJson.fromJson(DefinitionsJson.toJson(rides))).isEqualTo(rides);
    assertThat(DefinitionsJson.contentHash(reversed)).isEqualTo(DefinitionsJson.contentHash(rides));
    assertThat(DefinitionsJson.contentHash(ridesWithTtl(3)))
        .isNotEqualTo(DefinitionsJson.contentHash(rides));
  }

  @Test
  void pushTrueRoundTripsAndLeavesOtherSourcesBytesAlone() {
    Definitions rides = TestDefinitions.rides();
    List<ParquetSource> sources = new ArrayList<>();
    for (ParquetSource s : rides.sources()) {
      sources.add(
          new ParquetSource(
              s.name(),
              s.path(),
              s.timestampField(),
              s.createdTimestampField(),
              s.description(),
              s.acceptsPushes() || s.name().equals("driver_daily_src")));
    }
    Definitions pushed =
        new Definitions(
            rides.project(),
            rides.entities(),
            sources,
            rides.featureViews(),
            rides.featureServices());

    assertThat(DefinitionsJson.fromJson(DefinitionsJson.toJson(pushed))).isEqualTo(pushed);
    // trips_src accepts pushes in the example repo; driver_daily_src does here too; the other
    // sources have no push key at all.
    String json = DefinitionsJson.toJson(pushed).toString();
    assertThat(json.split("\"push\":true", -1)).hasSize(3);
    assertThat(json).doesNotContain("\"push\":false");
    assertThat(DefinitionsJson.toJson(rides).toString()).containsOnlyOnce("\"push\":true");
  }

  @Test
  void checksAndFreshnessRoundTripAndAreLeftOutWhereNoneIsDeclared() {
    Definitions rides = TestDefinitions.rides();
    String json = DefinitionsJson.toJson(rides).toString();

    assertThat(DefinitionsJson.fromJson(DefinitionsJson.toJson(rides))).isEqualTo(rides);
    assertThat(json)
        .contains(
            "{\"name\":\"conv_rate\",\"type\":\"float64\",\"source_column\":\"conv_rate\","
                + "\"description\":\"Share of offers the driver accepted\",\"checks\":"
                + "{\"min\":0.0,\"max\":1.0,\"max_null_fraction\":0.01}}")
        .contains(
            "\"checks\":{\"max_null_fraction\":0.0,\"allowed\":[\"new\",\"regular\",\"premium\"]}")
        .containsOnlyOnce("\"freshness\":\"2h\"")
        // A feature without checks is written as before checks existed (same bytes, same digest).
        .contains(
            "{\"name\":\"embedding\",\"type\":\"array<float32>\",\"source_column\":"
                + "\"embedding\",\"description\":\"8-dimensional driver embedding\"}");
  }

  @Test
  void readsAVersionStoredBeforeChecksExisted() throws Exception {
    String old =
        "{\"project\":\"p\",\"entities\":[],\"sources\":[],\"feature_views\":[{\"name\":\"v\","
            + "\"entities\":[\"driver\"],\"source\":\"s\",\"ttl\":\"2h\",\"online\":true,"
            + "\"features\":[{\"name\":\"f\",\"type\":\"float64\",\"source_column\":\"f\","
            + "\"description\":\"\"}],\"tags\":{},\"description\":\"\"}],\"feature_services\":[]}";

    FeatureView view =
        DefinitionsJson.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(old))
            .featureViews()
            .get(0);

    assertThat(view.freshness()).isEmpty();
    assertThat(view.features().get(0).checks()).isEqualTo(FeatureChecks.NONE);
    assertThat(
            DefinitionsJson.toJson(
                    new Definitions("p", List.of(), List.of(), List.of(view), List.of()))
                .toString())
        .isEqualTo(old);
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
