/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.Bin;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.ValueCount;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.spark.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkStatisticsIT {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final Instant END = Instant.parse("2026-12-02T00:00:00Z");

  static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("rate", DataTypes.DoubleType)
          .add("segment", DataTypes.StringType)
          .add("flag", DataTypes.BooleanType)
          .add("ts", DataTypes.TimestampType)
          .add("tags", DataTypes.createArrayType(DataTypes.StringType))
          .add("blob", DataTypes.BinaryType);

  static final List<StatisticsColumn> COLUMNS =
      List.of(
          StatisticsColumn.of("id", ValueType.INT64),
          StatisticsColumn.of("rate", ValueType.FLOAT64),
          new StatisticsColumn(
              "segment", ValueType.STRING, "segment", Optional.of(Set.of("gold", "silver"))),
          StatisticsColumn.of("flag", ValueType.BOOL),
          StatisticsColumn.of("ts", ValueType.TIMESTAMP),
          StatisticsColumn.of("tags", ValueType.ARRAY_STRING),
          StatisticsColumn.of("blob", ValueType.BYTES));

  @TempDir Path dir;

  static Timestamp at(long seconds) {
    return Timestamp.from(T0.plusSeconds(seconds));
  }

  Dataset<Row> smallParquet() {
    List<Row> rows =
        List.of(
            RowFactory.create(
                1L, 0.5, "gold", true, at(0), List.of("a", "b").toArray(), new byte[] {1}),
            RowFactory.create(2L, Double.NaN, "gold", false, at(10), new String[0], new byte[] {1}),
            RowFactory.create(3L, 1.5, "silver", true, at(20), null, new byte[] {2}),
            RowFactory.create(4L, null, null, true, null, new String[] {"a"}, null),
            RowFactory.create(
                null,
                Double.POSITIVE_INFINITY,
                "bronze",
                null,
                at(30),
                new String[] {"a", "b", "c"},
                new byte[] {3}));
    SparkSession spark = SparkTestSession.get();
    String path = dir.resolve("small").toString();
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(path);
    return spark.read().parquet(path);
  }

  @Test
  void internalRowsInTheirExactTypesGiveTheSameStatisticsAsTheDatasetPass() {
    Dataset<Row> data = smallParquet();
    ViewStatistics expected = SparkStatistics.compute(data, COLUMNS, "v", Optional.of(T0), END);
    ViewStatistics direct =
        SparkStatistics.compute(
            data.queryExecution().toRdd().toJavaRDD().map(InternalRow::copy),
            data.schema(),
            COLUMNS,
            "v",
            Optional.of(T0),
            END);
    assertThat(direct).isEqualTo(expected);
  }

  @Test
  void internalRowsOfAnotherTypeAreNamed() {
    Dataset<Row> data = smallParquet();
    assertThatThrownBy(
            () ->
                SparkStatistics.compute(
                    data.queryExecution().toRdd().toJavaRDD(),
                    data.schema(),
                    List.of(StatisticsColumn.of("segment", ValueType.INT64)),
                    "v",
                    Optional.empty(),
                    END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot compute statistics of feature 'segment' of view 'v': column 'segment' is"
                + " string, not int64");
  }

  @Test
  void computesHandCheckedStatisticsOfEveryType() {
    ViewStatistics statistics =
        SparkStatistics.compute(smallParquet(), COLUMNS, "v", Optional.of(T0), END);

    assertThat(statistics.rows()).isEqualTo(5);
    assertThat(statistics.start()).contains(T0);
    assertThat(statistics.features())
        .extracting(FeatureStatistics::feature)
        .containsExactly("id", "rate", "segment", "flag", "ts", "tags", "blob");

    FeatureStatistics id = statistics.feature("id").orElseThrow();
    assertThat(id.rows()).isEqualTo(5);
    assertThat(id.nulls()).isEqualTo(1);
    assertThat(id.nullFraction()).isEqualTo(0.2);
    assertThat(id.approxDistinct()).isEqualTo(4);
    Numbers numbers = id.numbers().orElseThrow();
    assertThat(numbers.min()).isEqualTo(1);
    assertThat(numbers.max()).isEqualTo(4);
    assertThat(numbers.mean()).isEqualTo(2.5);
    // sum of squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, over n - 1 = 3
    assertThat(numbers.stddev()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
    assertThat(id.quantiles())
        .containsExactly(
            Map.entry("p1", 1.0),
            Map.entry("p5", 1.0),
            Map.entry("p25", 1.0),
            Map.entry("p50", 2.0),
            Map.entry("p75", 3.0),
            Map.entry("p95", 4.0),
            Map.entry("p99", 4.0));
    // width 0.15: 1 in bin 0, 2 in bin 6 ([1.9, 2.05)), 3 in bin 13 ([2.95, 3.1)), 4 in the last
    assertThat(id.histogram()).hasSize(20);
    assertThat(id.histogram())
        .extracting(Bin::count)
        .containsExactly(
            1L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 1L);
    assertThat(id.histogram().get(0).lower()).isEqualTo(1);
    assertThat(id.histogram().get(19).upper()).isEqualTo(4);
    assertThat(id.topValues()).isEmpty();
    assertThat(id.disallowed()).isEmpty();

    FeatureStatistics rate = statistics.feature("rate").orElseThrow();
    assertThat(rate.nulls()).as("null, NaN and Infinity").isEqualTo(3);
    assertThat(rate.numbers().orElseThrow().mean()).isEqualTo(1.0);
    assertThat(rate.numbers().orElseThrow().stddev()).isCloseTo(Math.sqrt(0.5), within(1e-12));
    assertThat(rate.histogram()).extracting(Bin::count).containsOnly(0L, 1L);
    assertThat(rate.histogram().stream().mapToLong(Bin::count).sum()).isEqualTo(2);

    FeatureStatistics segment = statistics.feature("segment").orElseThrow();
    assertThat(segment.nulls()).isEqualTo(1);
    assertThat(segment.approxDistinct()).isEqualTo(3);
    assertThat(segment.numbers()).isEmpty();
    assertThat(segment.quantiles()).isEmpty();
    assertThat(segment.topValues())
        .containsExactly(
            new ValueCount("gold", 2), new ValueCount("bronze", 1), new ValueCount("silver", 1));
    assertThat(segment.disallowed()).hasValue(1);
    assertThat(segment.disallowedExamples()).containsExactly("bronze");

    FeatureStatistics flag = statistics.feature("flag").orElseThrow();
    assertThat(flag.nulls()).isEqualTo(1);
    assertThat(flag.approxDistinct()).isEqualTo(2);
    assertThat(flag.topValues())
        .containsExactly(new ValueCount("true", 3), new ValueCount("false", 1));

    FeatureStatistics ts = statistics.feature("ts").orElseThrow();
    double t0 = T0.getEpochSecond();
    assertThat(ts.nulls()).isEqualTo(1);
    assertThat(ts.numbers().orElseThrow().min()).isEqualTo(t0);
    assertThat(ts.numbers().orElseThrow().max()).isEqualTo(t0 + 30);
    assertThat(ts.numbers().orElseThrow().mean()).isEqualTo(t0 + 15);
    assertThat(ts.numbers().orElseThrow().stddev()).isCloseTo(Math.sqrt(500.0 / 3), within(1e-6));
    assertThat(ts.quantiles()).containsEntry("p50", t0 + 10);

    FeatureStatistics tags = statistics.feature("tags").orElseThrow();
    assertThat(tags.nulls()).isEqualTo(1);
    assertThat(tags.numbers()).isEmpty();
    assertThat(tags.arrayLengths())
        .hasValueSatisfying(
            lengths -> {
              assertThat(lengths.min()).isEqualTo(0);
              assertThat(lengths.max()).isEqualTo(3);
              assertThat(lengths.mean()).isEqualTo(1.5);
              assertThat(lengths.stddev()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
            });

    FeatureStatistics blob = statistics.feature("blob").orElseThrow();
    assertThat(blob.nulls()).isEqualTo(1);
    assertThat(blob.approxDistinct()).isEqualTo(3);
    assertThat(blob.topValues()).isEmpty();
  }

  @Test
  void namesASourceFileThatCannotBeReadDuringThePass() throws Exception {
    Dataset<Row> rows = smallParquet(); // schema read from the footer: no data yet
    try (var files = Files.list(dir.resolve("small"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        Files.writeString(file, "not parquet");
      }
    }

    assertThatThrownBy(() -> SparkStatistics.compute(rows, COLUMNS, "v", Optional.empty(), END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessageStartingWith("Cannot compute statistics of feature view 'v': ")
        .hasMessageContaining("small");
  }

  @Test
  void rejectsAMissingColumn() {
    assertThatThrownBy(
            () ->
                SparkStatistics.compute(
                    smallParquet(),
                    List.of(StatisticsColumn.of("nope", ValueType.INT64)),
                    "v",
                    Optional.empty(),
                    END))
        .isInstanceOf(FeatureStoreException.class)
        .hasMessage(
            "Cannot compute statistics of feature 'nope' of view 'v': the rows have no column"
                + " 'nope' (columns: id, rate, segment, flag, ts, tags, blob)");
  }
}
