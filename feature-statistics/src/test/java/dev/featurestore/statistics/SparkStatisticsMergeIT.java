/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.ValueCount;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partitioning does not change the statistics; sketches stay within their documented error. */
class SparkStatisticsMergeIT {
  static final Instant END = Instant.parse("2026-12-02T00:00:00Z");
  static final int ROWS = 20_000;
  static final StructType SCHEMA =
      new StructType()
          .add("count", DataTypes.LongType)
          .add("amount", DataTypes.DoubleType)
          .add("city", DataTypes.StringType)
          .add("empty", DataTypes.IntegerType);
  static final List<StatisticsColumn> COLUMNS =
      List.of(
          StatisticsColumn.of("count", ValueType.INT64),
          StatisticsColumn.of("amount", ValueType.FLOAT64),
          StatisticsColumn.of("city", ValueType.STRING),
          StatisticsColumn.of("empty", ValueType.INT32));

  @TempDir Path dir;

  /** Uniform counts (a third of them distinct), normal amounts, Zipf-like cities, 5% nulls. */
  static List<Row> randomRows(long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      Long count = random.nextInt(20) == 0 ? null : (long) random.nextInt(ROWS / 3);
      Double amount = random.nextInt(20) == 0 ? null : 100 + 15 * random.nextGaussian();
      String city = "city-" + (int) Math.floor(Math.pow(50, random.nextDouble()));
      rows.add(RowFactory.create(count, amount, random.nextInt(20) == 0 ? null : city, null));
    }
    return rows;
  }

  Dataset<Row> parquet(List<Row> rows, int files, String name) {
    SparkSession spark = SparkTestSession.get();
    String path = dir.resolve(name).toString();
    spark.createDataFrame(rows, SCHEMA).repartition(files).write().parquet(path);
    return spark.read().parquet(path);
  }

  @Test
  void manyPartitionsGiveTheStatisticsOfOne() {
    List<Row> rows = randomRows(7).subList(0, 150); // under KLL's k: every sketch is exact
    ViewStatistics one =
        SparkStatistics.compute(parquet(rows, 1, "one"), COLUMNS, "v", Optional.empty(), END);
    ViewStatistics many =
        SparkStatistics.compute(
            parquet(rows, 5, "many").repartition(7), COLUMNS, "v", Optional.empty(), END);

    assertThat(many.rows()).isEqualTo(one.rows()).isEqualTo(150);
    for (FeatureStatistics expected : one.features()) {
      FeatureStatistics actual = many.feature(expected.feature()).orElseThrow();
      assertThat(actual).usingRecursiveComparison().ignoringFields("numbers").isEqualTo(expected);
      assertThat(actual.numbers().isPresent()).isEqualTo(expected.numbers().isPresent());
      expected
          .numbers()
          .ifPresent(
              n -> {
                Numbers m = actual.numbers().orElseThrow();
                assertThat(m.min()).isEqualTo(n.min());
                assertThat(m.max()).isEqualTo(n.max());
                assertThat(m.mean()).isCloseTo(n.mean(), within(1e-9 * Math.abs(n.mean())));
                assertThat(m.stddev()).isCloseTo(n.stddev(), within(1e-9 * n.stddev()));
              });
    }
  }

  @Test
  void sketchesStayWithinTheirErrorOfAPlainJavaReference() {
    List<Row> rows = randomRows(42);
    ViewStatistics statistics =
        SparkStatistics.compute(parquet(rows, 4, "random"), COLUMNS, "v", Optional.empty(), END);

    checkNumbers(statistics.feature("count").orElseThrow(), column(rows, 0));
    checkNumbers(statistics.feature("amount").orElseThrow(), column(rows, 1));

    List<String> cities = new ArrayList<>();
    rows.stream().filter(r -> !r.isNullAt(2)).forEach(r -> cities.add(r.getString(2)));
    FeatureStatistics city = statistics.feature("city").orElseThrow();
    assertThat(city.nulls()).isEqualTo(ROWS - cities.size());
    assertThat(city.approxDistinct())
        .isCloseTo(new HashSet<>(cities).size(), within(Math.round(0.02 * 50)));
    Map<String, Long> counts = new HashMap<>();
    cities.forEach(c -> counts.merge(c, 1L, Long::sum));
    List<ValueCount> top =
        counts.entrySet().stream()
            .map(e -> new ValueCount(e.getKey(), e.getValue()))
            .sorted(
                Comparator.comparingLong(ValueCount::count)
                    .reversed()
                    .thenComparing(ValueCount::value))
            .limit(10)
            .toList();
    assertThat(city.topValues()).as("exact under 768 distinct values").isEqualTo(top);

    FeatureStatistics empty = statistics.feature("empty").orElseThrow();
    assertThat(empty.rows()).isEqualTo(ROWS);
    assertThat(empty.nulls()).isEqualTo(ROWS);
    assertThat(empty.nullFraction()).isEqualTo(1.0);
    assertThat(empty.approxDistinct()).isZero();
    assertThat(empty.numbers()).isEmpty();
    assertThat(empty.quantiles()).isEmpty();
    assertThat(empty.histogram()).isEmpty();
  }

  @Test
  void noRowsGiveZeroCountsAndNoNumbers() {
    Dataset<Row> none = parquet(randomRows(1).subList(0, 10), 2, "none").filter("false");

    ViewStatistics statistics = SparkStatistics.compute(none, COLUMNS, "v", Optional.empty(), END);

    assertThat(statistics.rows()).isZero();
    assertThat(statistics.features()).hasSize(4);
    for (FeatureStatistics feature : statistics.features()) {
      assertThat(feature.rows()).isZero();
      assertThat(feature.nulls()).isZero();
      assertThat(feature.nullFraction()).isZero();
      assertThat(feature.approxDistinct()).isZero();
      assertThat(feature.numbers()).isEmpty();
      assertThat(feature.quantiles()).isEmpty();
      assertThat(feature.histogram()).isEmpty();
      assertThat(feature.topValues()).isEmpty();
    }
  }

  private static double[] column(List<Row> rows, int index) {
    return rows.stream()
        .filter(r -> !r.isNullAt(index))
        .mapToDouble(r -> ((Number) r.get(index)).doubleValue())
        .sorted()
        .toArray();
  }

  /** Exact counts and moments; quantiles and bins within KLL's rank error (k = 200: ~1.7%). */
  private static void checkNumbers(FeatureStatistics statistics, double[] sorted) {
    int n = sorted.length;
    double epsilon = 0.02;
    assertThat(statistics.nulls()).isEqualTo(ROWS - n);
    assertThat(statistics.approxDistinct())
        .isCloseTo(Arrays.stream(sorted).distinct().count(), within(Math.round(0.02 * n)));
    double mean = Arrays.stream(sorted).average().orElseThrow();
    double m2 = Arrays.stream(sorted).map(v -> (v - mean) * (v - mean)).sum();
    Numbers numbers = statistics.numbers().orElseThrow();
    assertThat(numbers.min()).isEqualTo(sorted[0]);
    assertThat(numbers.max()).isEqualTo(sorted[n - 1]);
    assertThat(numbers.mean()).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
    assertThat(numbers.stddev()).isCloseTo(Math.sqrt(m2 / (n - 1)), within(1e-9 * mean));

    FeatureStatistics.QUANTILE_RANKS.forEach(
        (name, rank) -> {
          double q = statistics.quantiles().get(name);
          // the fraction of values below q and at most q must bracket the rank, within epsilon
          double below = (double) countBelow(sorted, q) / n;
          double atMost = (double) countAtMost(sorted, q) / n;
          assertThat(rank).as(name).isBetween(below - epsilon, atMost + epsilon);
        });

    List<Bin> bins = statistics.histogram();
    assertThat(bins).hasSize(20);
    assertThat(bins.stream().mapToLong(Bin::count).sum()).isEqualTo(n);
    for (int i = 0; i < bins.size(); i++) {
      Bin bin = bins.get(i);
      long exact =
          i == bins.size() - 1
              ? countAtMost(sorted, bin.upper()) - countBelow(sorted, bin.lower())
              : countBelow(sorted, bin.upper()) - countBelow(sorted, bin.lower());
      assertThat(bin.count()).as("bin %d", i).isCloseTo(exact, within(Math.round(2 * epsilon * n)));
    }
  }

  private static int countBelow(double[] sorted, double value) {
    int i = Arrays.binarySearch(sorted, value);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && sorted[i - 1] == value) {
      i--;
    }
    return i;
  }

  private static int countAtMost(double[] sorted, double value) {
    int i = Arrays.binarySearch(sorted, value);
    if (i < 0) {
      return -i - 1;
    }
    while (i < sorted.length - 1 && sorted[i + 1] == value) {
      i++;
    }
    return i + 1;
  }
}
