/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.spark.testing.SparkTestSession;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Shared Spark session, driver-stats rows, Parquet writing and Redis reading (the definitions: the
 * registry's TestDefinitions.driverProject and driverStats).
 */
public final class TestSupport {
  private static RedisCommands<byte[], byte[]> redis;

  static final StructType DRIVER_SCHEMA =
      new StructType()
          .add("driver_id", DataTypes.LongType, true)
          .add("event_timestamp", DataTypes.TimestampType, true)
          .add("created", DataTypes.TimestampType, true)
          .add("conv_rate", DataTypes.DoubleType, true)
          .add("trips", DataTypes.LongType, true);

  private TestSupport() {}

  /** The JVM's one local Spark session (spark-common's test-jar). */
  public static SparkSession spark() {
    return SparkTestSession.get();
  }

  static synchronized RedisCommands<byte[], byte[]> redis() {
    if (redis == null) {
      redis =
          RedisClient.create()
              .connect(ByteArrayCodec.INSTANCE, RedisURI.create(RedisFixture.shared().uri()))
              .sync();
    }
    return redis;
  }

  static RedisConfig redisConfig() {
    return RedisConfig.standalone(RedisFixture.shared().uri());
  }

  static Row driverRow(Long id, String event, String created, Double convRate, Long trips) {
    return RowFactory.create(
        id,
        event == null ? null : Timestamp.from(Instant.parse(event)),
        created == null ? null : Timestamp.from(Instant.parse(created)),
        convRate,
        trips);
  }

  static void writeParquet(Path path, StructType schema, List<Row> rows) {
    spark()
        .createDataFrame(rows, schema)
        .coalesce(2)
        .write()
        .mode("overwrite")
        .parquet(path.toString());
  }

  static Materializer materializer(Definitions definitions) {
    return new Materializer(
        spark(), definitions, redisConfig(), p -> p, MaterializerOptions.defaults(), null);
  }

  static byte[] key(String project, FeatureView view, long driverId) {
    return OnlineKeys.key(
        project,
        view.name(),
        List.of(new JoinKey("driver_id", ValueType.INT64)),
        List.of(driverId));
  }

  /** The decoded value stored for a driver, or null. */
  static OnlineValueCodec.DecodedValue stored(String project, FeatureView view, long driverId) {
    byte[] value = redis().get(key(project, view, driverId));
    return value == null
        ? null
        : new OnlineValueCodec(project, view).decode(value, fp -> Optional.empty());
  }

  static long micros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }
}
