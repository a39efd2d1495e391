/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.onlinestore.FeatureViewSchemas;
import dev.featurestore.registry.quality.StatisticsRun;
import dev.featurestore.registry.store.ApplyAudit;
import dev.featurestore.registry.store.FileRegistry;
import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.Registry.ApplyRequest;
import dev.featurestore.registry.store.RegistryVersion;
import dev.featurestore.registry.store.StatisticsHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every registry backend must do, as tests: a backend's test class extends this and says how
 * to make a fresh location, open it, and crash an apply between writing and committing. The process
 * tests start JVMs running {@link ApplyMain} with the test class's class path.
 */
public abstract class RegistryContract {
  /** A fresh, empty registry location for each test. */
  protected abstract String newLocation() throws Exception;

  /** Opens the registry at a location (a new handle: nothing cached from other handles). */
  protected abstract Registry open(String location);

  /** Makes the next apply of this handle end the JVM after writing and before committing. */
  protected abstract void crashBeforeCommit(Registry registry);

  protected String location;

  @BeforeEach
  void freshLocation() throws Exception {
    location = newLocation();
  }

  private static ApplyAudit audit(String summary) {
    return new ApplyAudit(
        "ana", "ci-7", Optional.of(new ApplyAudit.GitState("a".repeat(40), true)), summary);
  }

  @Test
  void appliesVersionsWithAuditEntriesAndReadsThemBackFromANewHandle() {
    Registry registry = open(location);
    assertThat(registry.latest()).isEmpty();
    assertThat(registry.history()).isEmpty();

    Registry.ApplyResult first =
        registry.apply(
            new ApplyRequest(
                TestDefinitions.rides(), OptionalLong.of(0), audit("+entities.driver")));
    Registry.ApplyResult second =
        registry.apply(
            new ApplyRequest(
                TestDefinitions.ridesWithTtl(505), OptionalLong.of(1), audit("~feature_views.x")));
    Registry.ApplyResult same =
        registry.apply(
            new ApplyRequest(TestDefinitions.ridesWithTtl(505), OptionalLong.of(2), audit("")));

    assertThat(first.created()).isTrue();
    assertThat(second.version().number()).isEqualTo(2);
    assertThat(same.created()).isFalse();
    assertThat(same.version()).isEqualTo(second.version());
    Registry reopened = open(location);
    assertThat(reopened.history()).containsExactly(first.version(), second.version());
    assertThat(reopened.latest()).contains(second.version());
    assertThat(reopened.version(2).audit()).contains(audit("~feature_views.x"));
    assertThat(reopened.version(2).definitions()).isEqualTo(TestDefinitions.ridesWithTtl(505));
    Definitions rides = TestDefinitions.rides();
    long fingerprint =
        FeatureViewSchemas.fingerprint(
            FeatureViewSchemas.schemaOf(rides.project(), rides.featureViews().get(0)));
    assertThat(reopened.schemaFingerprints(1))
        .containsEntry(rides.featureViews().get(0).name(), fingerprint);
    assertThat(reopened.schema(fingerprint))
        .contains(FeatureViewSchemas.schemaOf(rides.project(), rides.featureViews().get(0)));
    assertThatThrownBy(() -> reopened.version(3))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessage("Cannot find registry version 3: versions are 1 to 2");
  }

  @Test
  void refusesAnApplyPlannedAgainstAVersionThatIsNoLongerTheLatest() {
    Registry registry = open(location);
    RegistryVersion first = registry.apply(TestDefinitions.rides()).version();
    registry.apply(
        new ApplyRequest(TestDefinitions.ridesWithTtl(502), OptionalLong.of(1), audit("")));

    assertThatThrownBy(
            () ->
                registry.apply(
                    new ApplyRequest(
                        TestDefinitions.ridesWithTtl(503), OptionalLong.of(1), audit(""))))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessageStartingWith(
            "Cannot apply to registry "
                + registry.location()
                + ": expected version 1 to be the latest, but the latest is version 2 (applied at ")
        .hasMessageEndingWith(" by ana on ci-7); run plan again against it");
    assertThatThrownBy(
            () ->
                registry.apply(
                    new ApplyRequest(
                        TestDefinitions.ridesWithTtl(503), OptionalLong.of(0), audit(""))))
        .hasMessageContaining("expected no applied version to be the latest");
    assertThat(open(location).history()).hasSize(2);
    assertThat(open(location).version(1)).isEqualTo(first);
  }

  @Test
  void hundredConcurrentAppliesFromThreadsTakeEveryNumberExactlyOnce() throws Exception {
    int threads = 4;
    int rounds = 25;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = 1000 + t * 100;
        futures.add(
            pool.submit(
                () -> {
                  Registry registry = open(location);
                  start.await();
                  for (int i = 0; i < rounds; i++) {
                    applyWithRetry(registry, TestDefinitions.ridesWithTtl(first + i));
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(300, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEveryContentOnceInContiguousVersions(threads, rounds);
  }

  @Test
  void hundredAppliesFromTwoProcessesTakeEveryNumberExactlyOnce() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      processes.add(start("apply", String.valueOf(1000 + p * 100), "50"));
    }
    for (Process process : processes) {
      assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.exitValue()).as(output).isZero();
    }
    assertEveryContentOnceInContiguousVersions(2, 50);
  }

  @Test
  void aCrashBetweenWritingAndCommittingLeavesThePreviousVersionIntact() throws Exception {
    Registry registry = open(location);
    RegistryVersion first = registry.apply(TestDefinitions.rides()).version();

    Process process = start("crash", "507", "1");
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(output).isEqualTo(ApplyMain.CRASH_EXIT);

    Registry reopened = open(location);
    assertThat(reopened.history()).containsExactly(first);
    RegistryVersion next = reopened.apply(TestDefinitions.ridesWithTtl(507)).version();
    assertThat(next.number()).isEqualTo(2);
    assertThat(open(location).history()).containsExactly(first, next);
  }

  @Test
  void keepsWatermarksPerViewAndReplacesThem() {
    Registry registry = open(location);
    assertThat(registry.watermarks().read("driver_stats")).isEmpty();

    registry.watermarks().write("driver_stats", Instant.parse("2026-11-22T07:00:00Z"));
    registry.watermarks().write("driver_stats", Instant.parse("2026-11-22T08:00:00Z"));
    registry.watermarks().write("trips", Instant.parse("2026-11-20T00:00:00Z"));

    assertThat(open(location).watermarks().read("driver_stats"))
        .contains(Instant.parse("2026-11-22T08:00:00Z"));
    assertThat(open(location).watermarks().all())
        .containsExactly(
            Map.entry("driver_stats", Instant.parse("2026-11-22T08:00:00Z")),
            Map.entry("trips", Instant.parse("2026-11-20T00:00:00Z")));
  }

  private static final Instant T1 = Instant.parse("2026-11-20T07:00:00.123456Z");
  private static final Instant T2 = Instant.parse("2026-11-21T07:00:00Z");
  private static final Instant T3 = Instant.parse("2026-11-22T07:00:00Z");

  @Test
  void keepsStatisticsRunsOldestFirstWhateverTheOrderTheyWereAppendedIn() {
    Registry registry = open(location);
    assertThat(registry.statistics().runs("driver_stats")).isEmpty();
    assertThat(registry.statistics().latest("driver_stats")).isEmpty();
    assertThat(registry.statistics().views()).isEmpty();

    StatisticsRun second = StatisticsRuns.run("driver_stats", "run-b", T2, 20);
    StatisticsRun first = StatisticsRuns.run("driver_stats", "run-c", T1, 10);
    StatisticsRun third = StatisticsRuns.run("driver_stats", "run-a", T3, 30);
    registry.statistics().append(second);
    registry.statistics().append(first);
    registry.statistics().append(third);

    StatisticsHistory reopened = open(location).statistics();
    assertThat(reopened.runs("driver_stats")).containsExactly(first, second, third);
    assertThat(reopened.latest("driver_stats")).contains(third);
    assertThat(reopened.views()).containsExactly("driver_stats");
  }

  @Test
  void findsTheNewestRunOfAnOrigin() {
    Registry registry = open(location);
    StatisticsRun materialized = StatisticsRuns.run("driver_stats", "m", T1, 1);
    StatisticsRun stats = StatisticsRuns.full("driver_stats", "s", T2);
    registry.statistics().append(materialized);
    registry.statistics().append(stats);

    StatisticsHistory reopened = open(location).statistics();
    assertThat(reopened.latest("driver_stats", StatisticsRun.MATERIALIZE)).contains(materialized);
    assertThat(reopened.latest("driver_stats", StatisticsRun.STATS)).contains(stats);
    assertThat(reopened.latest("trips", StatisticsRun.MATERIALIZE)).isEmpty();
  }

  @Test
  void breaksTiesOfTheSameComputedAtByRunId() {
    Registry registry = open(location);
    StatisticsRun b = StatisticsRuns.run("driver_stats", "b", T2, 2);
    StatisticsRun a = StatisticsRuns.run("driver_stats", "a", T2, 1);
    registry.statistics().append(b);
    registry.statistics().append(a);

    assertThat(open(location).statistics().runs("driver_stats")).containsExactly(a, b);
    assertThat(open(location).statistics().latest("driver_stats")).contains(b);
  }

  @Test
  void keepsEachViewsStatisticsHistoryApart() {
    Registry registry = open(location);
    StatisticsRun trips = StatisticsRuns.run("trips", "t1", T1, 5);
    StatisticsRun driver = StatisticsRuns.run("driver_stats", "d1", T2, 7);
    StatisticsRun drivers = StatisticsRuns.run("driver_stats_v2", "d1", T3, 9);
    registry.statistics().append(trips);
    registry.statistics().append(driver);
    registry.statistics().append(drivers);

    StatisticsHistory reopened = open(location).statistics();
    assertThat(reopened.runs("trips")).containsExactly(trips);
    assertThat(reopened.runs("driver_stats")).containsExactly(driver);
    assertThat(reopened.latest("driver_stats_v2")).contains(drivers);
    assertThat(reopened.runs("unknown_view")).isEmpty();
    assertThat(reopened.views()).containsExactly("driver_stats", "driver_stats_v2", "trips");
  }

  @Test
  void aStatisticsRunWithChecksRoundTripsExactly() {
    StatisticsRun run = StatisticsRuns.full("driver_stats", "full-1", T1);
    open(location).statistics().append(run);

    StatisticsRun read = open(location).statistics().runs("driver_stats").get(0);
    assertThat(read).isEqualTo(run);
    assertThat(read.checksFailed()).isEqualTo(1);
    assertThat(read.statistics().feature("segment").orElseThrow().disallowed()).hasValue(10);
  }

  @Test
  void refusesASecondStatisticsRunWithTheSameIdForAView() {
    Registry registry = open(location);
    registry.statistics().append(StatisticsRuns.run("driver_stats", "same", T1, 1));

    assertThatThrownBy(
            () -> registry.statistics().append(StatisticsRuns.run("driver_stats", "same", T2, 2)))
        .isInstanceOfSatisfying(
            FeatureStoreException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessage(
            "Cannot append statistics run same of feature view 'driver_stats' to registry "
                + registry.location()
                + ": the view already has a run with that id");
    assertThat(open(location).statistics().runs("driver_stats"))
        .extracting(r -> r.statistics().rows())
        .containsExactly(1L);
  }

  @Test
  void copiesAFileRegistryKeepingItsHistoryAndBack() throws Exception {
    Path folder = Files.createTempDirectory("featurestore-copy-");
    FileRegistry files = FileRegistry.open(folder.resolve("from"));
    files.apply(new ApplyRequest(TestDefinitions.rides(), OptionalLong.of(0), audit("+a")));
    files.apply(
        new ApplyRequest(TestDefinitions.ridesWithTtl(509), OptionalLong.of(1), audit("~b")));
    files.watermarks().write("driver_hourly_stats", Instant.parse("2026-11-22T08:00:00Z"));
    files.statistics().append(StatisticsRuns.run("driver_hourly_stats", "r2", T2, 2));
    files.statistics().append(StatisticsRuns.full("driver_hourly_stats", "r1", T1));
    files.statistics().append(StatisticsRuns.run("trips", "r3", T3, 3));

    Registry target = open(location);
    assertThat(Registries.copy(files, target)).isEqualTo(2);
    FileRegistry back = FileRegistry.open(folder.resolve("back"));
    Registries.copy(open(location), back);

    for (Registry copy : List.of(open(location), back)) {
      assertThat(copy.history()).isEqualTo(files.history());
      assertThat(copy.schemaFingerprints(2)).isEqualTo(files.schemaFingerprints(2));
      assertThat(copy.watermarks().all()).isEqualTo(files.watermarks().all());
      assertThat(copy.statistics().views()).containsExactly("driver_hourly_stats", "trips");
      for (String view : List.of("driver_hourly_stats", "trips")) {
        assertThat(copy.statistics().runs(view)).isEqualTo(files.statistics().runs(view));
      }
    }
    assertThatThrownBy(() -> Registries.copy(files, open(location)))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot copy registry "
                + files.location()
                + " to "
                + open(location).location()
                + ": the target already holds 2 version(s); copy into an empty registry");
  }

  private void assertEveryContentOnceInContiguousVersions(int writers, int rounds) {
    List<RegistryVersion> history = open(location).history();
    assertThat(history).hasSize(writers * rounds);
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < history.size(); i++) {
      assertThat(history.get(i).number()).isEqualTo(i + 1);
      hashes.add(history.get(i).contentHash());
      assertThat(history.get(i).audit()).as("the audit entry of version %d", i + 1).isPresent();
    }
    assertThat(hashes).hasSize(writers * rounds);
  }

  private Process start(String mode, String first, String count) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            ApplyMain.class.getName(),
            getClass().getName(),
            location,
            mode,
            first,
            count)
        .redirectErrorStream(true)
        .start();
  }

  /**
   * Applies against the latest version as a compare-and-swap, planning again after a CONFLICT, as
   * {@code featurestore apply} does.
   */
  static void applyWithRetry(Registry registry, Definitions definitions) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      long latest = registry.latest().map(RegistryVersion::number).orElse(0L);
      try {
        if (!registry
            .apply(new ApplyRequest(definitions, OptionalLong.of(latest), audit("retry")))
            .created()) {
          throw new IllegalStateException("an apply of new content created no version");
        }
        return;
      } catch (FeatureStoreException e) {
        if (e.errorCode() != ErrorCode.CONFLICT) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("1000 conflicts in a row");
  }

  /** The child JVM of the process tests: {@code <contract class> <location> apply|crash N M}. */
  public static final class ApplyMain {
    static final int CRASH_EXIT = 37;

    public static void main(String[] args) throws Exception {
      var constructor = Class.forName(args[0]).getDeclaredConstructor();
      constructor.setAccessible(true); // test classes are package-private
      RegistryContract contract = (RegistryContract) constructor.newInstance();
      Registry registry = contract.open(args[1]);
      int first = Integer.parseInt(args[3]);
      int count = Integer.parseInt(args[4]);
      if (args[2].equals("crash")) {
        contract.crashBeforeCommit(registry);
        registry.apply(TestDefinitions.ridesWithTtl(first));
        throw new IllegalStateException("the apply committed instead of crashing");
      }
      for (int i = 0; i < count; i++) {
        applyWithRetry(registry, TestDefinitions.ridesWithTtl(first + i));
      }
    }

    /** Ends the JVM at once, as a crash would (no shutdown hooks, no finally blocks). */
    public static void crash() {
      Runtime.getRuntime().halt(CRASH_EXIT);
    }
  }
}
