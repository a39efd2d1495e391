/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.hadoop.testing.MiniHdfs;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.plan.Plan;
import dev.featurestore.registry.plan.Planner;
import dev.featurestore.registry.repo.FileFeatureRepo;
import dev.featurestore.registry.store.ApplyAudit;
import dev.featurestore.registry.store.DefinitionsJson;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.Registry.ApplyRequest;
import dev.featurestore.registry.store.Registry.ApplyResult;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.testing.StatisticsRuns;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** {@link HadoopRegistry} on a real in-process HDFS (a NameNode and a DataNode). */
class HadoopRegistryIT {
  static Configuration configuration;

  @BeforeAll
  static void startHdfs() {
    configuration = MiniHdfs.configuration();
  }

  static URI uri(TestInfo test) {
    return MiniHdfs.uri(test.getTestMethod().orElseThrow().getName());
  }

  static Definitions ridesWithTtl(int minutes) {
    Definitions rides = TestDefinitions.rides();
    List<FeatureView> views = new ArrayList<>();
    for (FeatureView v : rides.featureViews()) {
      views.add(
          v.name().equals("driver_hourly_stats")
              ? new FeatureView(
                  v.name(),
                  v.entities(),
                  v.source(),
                  Duration.ofMinutes(minutes),
                  v.online(),
                  v.features(),
                  v.tags(),
                  v.description())
              : v);
    }
    return new Definitions(
        rides.project(), rides.entities(), rides.sources(), views, rides.featureServices());
  }

  @Test
  void storesVersionsSchemasAndWatermarksInTheLocalLayout(TestInfo test) throws IOException {
    URI uri = uri(test);
    Registry registry = Registries.open(RegistryLocation.of(uri));
    assertThat(registry).isInstanceOf(HadoopRegistry.class);
    assertThat(registry.latest()).isEmpty();

    ApplyResult first = registry.apply(TestDefinitions.rides());
    ApplyResult same = registry.apply(TestDefinitions.rides());
    ApplyResult second = registry.apply(ridesWithTtl(30));

    assertThat(first.created()).isTrue();
    assertThat(same).isEqualTo(new ApplyResult(first.version(), false));
    assertThat(second.version().number()).isEqualTo(2);
    Registry reopened = HadoopRegistry.open(uri, configuration);
    assertThat(reopened.history()).containsExactly(first.version(), second.version());
    assertThat(reopened.latest().orElseThrow().definitions()).isEqualTo(ridesWithTtl(30));
    assertThat(reopened.location()).isEqualTo(uri.toString());
    FeatureView hourly = TestDefinitions.rides().requireFeatureView("driver_hourly_stats");
    long fingerprint = FeatureViewSchemas.fingerprint(FeatureViewSchemas.schemaOf("rides", hourly));
    assertThat(reopened.schemaFingerprints(1)).containsEntry("driver_hourly_stats", fingerprint);
    assertThat(reopened.schema(fingerprint)).contains(FeatureViewSchemas.schemaOf("rides", hourly));
    assertThat(reopened.schema(42)).isEmpty();
    assertThatThrownBy(() -> reopened.version(3))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessage("Cannot find registry version 3: versions are 1 to 2");

    Instant watermark = Instant.parse("2026-11-22T07:00:00Z");
    reopened.watermarks().write("driver_daily", watermark);
    reopened.watermarks().write("driver_daily", watermark.plusSeconds(60));
    assertThat(registry.watermarks().read("driver_daily")).contains(watermark.plusSeconds(60));
    assertThat(registry.watermarks().read("customer_profile")).isEmpty();
    assertThat(registry.watermarks().all()).containsOnlyKeys("driver_daily");

    FileSystem fs = FileSystem.get(uri, configuration);
    assertThat(names(fs, uri, "versions")).containsExactly("v000001.json", "v000002.json");
    assertThat(names(fs, uri, "watermarks")).containsExactly("driver_daily.json");
    assertThat(names(fs, uri, "schemas")).allMatch(n -> n.matches("[0-9a-f]{16}\\.avsc"));

    reopened
        .statistics()
        .append(StatisticsRuns.run("driver_daily", "r1", Instant.parse("2026-12-02T05:50:28Z"), 3));
    assertThat(names(fs, uri, "statistics/driver_daily"))
        .containsExactly("20261202T055028.000000000Z-r1.json");
  }

  @Test
  void planAndApplyWorkUnchangedOnARepoWhoseRegistryIsOnHdfs(TestInfo test, @TempDir Path dir)
      throws IOException {
    URI uri = uri(test);
    Path root = TestRepos.copyOfExample("rides", dir);
    Path settings = root.resolve("featurestore.yaml");
    Files.writeString(
        settings,
        Files.readString(settings).replace("registry: .featurestore/registry", "registry: " + uri));
    FileFeatureRepo repo = FileFeatureRepo.open(root);
    Planner planner = Planner.of(repo, List.of());

    Plan plan = planner.plan();
    ApplyResult applied = planner.apply(plan);

    assertThat(repo.registry()).isInstanceOf(HadoopRegistry.class);
    assertThat(plan.changes()).hasSize(11);
    assertThat(applied.version().number()).isEqualTo(1);
    assertThat(applied.version().audit().orElseThrow().summary())
        .startsWith("+entities.customer, +entities.driver, ");
    assertThat(planner.plan().hasChanges()).isFalse();
    assertThat(HadoopRegistry.open(uri, configuration).latest()).contains(applied.version());
    assertThat(root.resolve(".featurestore")).doesNotExist();
  }

  @Test
  void concurrentAppliesTakeEveryVersionExactlyOnce(TestInfo test) throws Exception {
    URI uri = uri(test);
    int threads = 3;
    int rounds = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier barrier = new CyclicBarrier(threads);
    AtomicInteger conflicts = new AtomicInteger();
    List<Future<List<RegistryVersion>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                HadoopRegistry registry = HadoopRegistry.open(uri, configuration);
                List<RegistryVersion> won = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                  barrier.await(60, TimeUnit.SECONDS);
                  long base = round;
                  // Every thread plans on the same version: exactly one may take the next.
                  try {
                    won.add(
                        registry
                            .apply(
                                new ApplyRequest(
                                    ridesWithTtl(1 + round * threads + thread),
                                    OptionalLong.of(base),
                                    ApplyAudit.unknown()))
                            .version());
                  } catch (FeatureStoreException e) {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage())
                        .startsWith(
                            "Cannot apply to registry "
                                + uri
                                + ": expected "
                                + (base == 0 ? "no applied version" : "version " + base)
                                + " to be the latest, but the latest is version "
                                + (base + 1));
                    conflicts.incrementAndGet();
                  }
                  barrier.await(60, TimeUnit.SECONDS);
                }
                return won;
              }));
    }
    List<RegistryVersion> won = new ArrayList<>();
    for (Future<List<RegistryVersion>> future : futures) {
      won.addAll(future.get(10, TimeUnit.MINUTES));
    }
    pool.shutdown();

    assertThat(won).hasSize(rounds);
    assertThat(conflicts).hasValue(rounds * (threads - 1));
    assertContiguousAndDistinct(HadoopRegistry.open(uri, configuration), rounds);
    assertThat(HadoopRegistry.open(uri, configuration).history())
        .containsExactlyElementsOf(
            won.stream().sorted((a, b) -> Long.compare(a.number(), b.number())).toList());
  }

  @Test
  void appliesWithoutAnExpectedVersionRetryAndLoseNothing(TestInfo test) throws Exception {
    URI uri = uri(test);
    int threads = 3;
    int applies = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                HadoopRegistry registry = HadoopRegistry.open(uri, configuration);
                start.await(60, TimeUnit.SECONDS);
                int created = 0;
                for (int i = 0; i < applies; i++) {
                  created +=
                      registry.apply(ridesWithTtl(1 + thread * applies + i)).created() ? 1 : 0;
                }
                return created;
              }));
    }
    int created = 0;
    for (Future<Integer> future : futures) {
      created += future.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();

    assertThat(created).isEqualTo(threads * applies);
    assertContiguousAndDistinct(HadoopRegistry.open(uri, configuration), threads * applies);
  }

  @Test
  void aCrashBetweenWriteAndCommitLeavesThePreviousVersion(TestInfo test) throws IOException {
    URI uri = uri(test);
    HadoopRegistry registry = HadoopRegistry.open(uri, configuration);
    RegistryVersion first = registry.apply(TestDefinitions.rides()).version();
    registry.beforeCommit =
        () -> {
          throw new IllegalStateException("simulated crash");
        };

    assertThatThrownBy(() -> registry.apply(ridesWithTtl(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("simulated crash");

    // The new version was written completely to a temporary file, but never committed.
    FileSystem fs = FileSystem.get(uri, configuration);
    assertThat(names(fs, uri, "versions"))
        .hasSize(2)
        .contains("v000001.json")
        .anyMatch(n -> n.startsWith(".v000002.json.") && n.endsWith(".tmp"));
    HadoopRegistry afterCrash = HadoopRegistry.open(uri, configuration);
    assertThat(afterCrash.latest()).contains(first);
    assertThat(afterCrash.history()).containsExactly(first);

    RegistryVersion second = afterCrash.apply(ridesWithTtl(1)).version();

    assertThat(second.number()).isEqualTo(2);
    assertThat(HadoopRegistry.open(uri, configuration).version(2).definitions())
        .isEqualTo(ridesWithTtl(1));
    // A leftover younger than an hour may be another writer's, in flight: it stays.
    assertThat(names(fs, uri, "versions")).hasSize(3);
  }

  @Test
  void anUnreachableFileSystemIsUnavailableNamingTheLocation() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI uri = URI.create("hdfs://127.0.0.1:" + port + "/featurestore/registry");
    Configuration conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    conf.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
    HadoopRegistry registry = HadoopRegistry.open(uri, conf);

    assertThatThrownBy(registry::latest)
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageStartingWith("Cannot list the versions of registry " + uri + ": ")
        .hasMessageContaining("Connection refused");
    assertThatThrownBy(() -> registry.apply(TestDefinitions.rides()))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot apply to registry " + uri + ": ");
  }

  @Test
  void refusesHadoopsLocalFileSystemAndNamesAMissingClient(@TempDir Path local) {
    assertThatThrownBy(() -> HadoopRegistry.open(local.toUri(), new Configuration()))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage(
            "Cannot open registry %s through Hadoop: its local file system overwrites on rename,"
                + " so it cannot commit atomically; use the path or file: URI itself (a local"
                + " registry, same layout)",
            local.toUri());
    assertThatThrownBy(
            () ->
                HadoopRegistry.open(
                    URI.create("s3a://key:secret@bucket/registry"), new Configuration()))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageStartingWith("Cannot open registry s3a://key:***@bucket/registry: ")
        .hasMessageNotContaining("secret")
        .hasMessageEndingWith(
            " (s3a needs org.apache.hadoop:hadoop-aws and the AWS SDK bundle on the class path)");
  }

  static void assertContiguousAndDistinct(Registry registry, int count) {
    List<RegistryVersion> history = registry.history();
    assertThat(history).extracting(RegistryVersion::number).hasSize(count);
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < count; i++) {
      RegistryVersion version = history.get(i);
      assertThat(version.number()).isEqualTo(i + 1);
      assertThat(version.contentHash())
          .isEqualTo(DefinitionsJson.contentHash(version.definitions()));
      hashes.add(version.contentHash());
    }
    assertThat(hashes).hasSize(count);
  }

  static List<String> names(FileSystem fs, URI uri, String folder) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus status : fs.listStatus(new org.apache.hadoop.fs.Path(uri + "/" + folder))) {
      names.add(status.getPath().getName());
    }
    return names.stream().sorted().toList();
  }
}
