/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.feastcompat;

import static dev.featurestore.registry.testing.TestDefinitions.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.feast.FeastClient;
import dev.feast.Row;
import dev.feast.SecurityConfig;
import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.definition.Feature;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.onlinestore.OnlineKeys;
import dev.featurestore.registry.onlinestore.OnlineValueCodec;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponse;
import feast.proto.serving.ServingServiceGrpc;
import feast.proto.types.ValueProto.RepeatedValue;
import feast.proto.types.ValueProto.Value;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feast's own Java client ({@code dev.feast:feast-serving-client} 0.38.0) against the real online
 * exec jar and a real Redis: what a Feast user's code sees when our server replaces Feast's. The
 * server requires an API key, sent as Feast's client sends credentials (call credentials putting
 * {@code authorization: Bearer <key>}). Redis is stopped in the last test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeastClientIT {
  private static final String API_KEY = "s3cret-key";
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Instant FRESH = NOW.minus(Duration.ofMinutes(10));
  private static final Instant STALE = NOW.minus(Duration.ofHours(2));
  private static final byte[] BLOB = {0, 1, (byte) 0xfe};

  @TempDir static Path root;
  private static String project;
  private static RedisServerProcess redis;
  private static OnlineServerProcess server;
  private static FeastClient client;

  @BeforeAll
  static void start() {
    project = TestDefinitions.uniqueProject();
    Definitions definitions = definitions(project);
    redis = RedisFixture.startPrivate();
    writeValues(definitions);
    TestRepos.create(root.resolve("repo"), definitions, redis.uri(), Optional.of(API_KEY));
    server =
        OnlineServerProcess.start(
            root.resolve("repo"), root.resolve("serve.log"), "--featurestore.max-entities=3");
    client = FeastClient.createSecure("127.0.0.1", server.grpcPort(), withKey("Bearer " + API_KEY));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  @Order(1)
  void answersEveryStatusWithEventTimestamps() {
    List<Row> rows =
        client.getOnlineFeatures(
            List.of(
                "driver_stats:conv_rate",
                "driver_stats:acc_rate",
                "driver_stats:trips",
                "driver_stats:note"),
            List.of(driver(1001), driver(1002), driver(1003)),
            project);

    assertThat(rows).hasSize(3);
    Row fresh = rows.get(0);
    assertThat(fresh.getLong("driver_id")).isEqualTo(1001L);
    assertThat(fresh.getDouble("conv_rate")).isEqualTo(0.5);
    assertThat(fresh.getFloat("acc_rate")).isEqualTo(0.25f);
    assertThat(fresh.getLong("trips")).isEqualTo(42L);
    assertThat(fresh.getStatus("conv_rate")).isEqualTo(FieldStatus.PRESENT);
    assertThat(fresh.getStatus("note")).isEqualTo(FieldStatus.NULL_VALUE);
    assertThat(fresh.getEntityTimestamp().getSeconds()).isEqualTo(FRESH.getEpochSecond());

    Row stale = rows.get(1);
    assertThat(stale.getStatus("conv_rate")).isEqualTo(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(stale.getFields().get("conv_rate")).isEqualTo(Value.getDefaultInstance());
    assertThat(stale.getEntityTimestamp().getSeconds()).isEqualTo(STALE.getEpochSecond());

    Row missing = rows.get(2);
    assertThat(missing.getStatus("trips")).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(missing.getFields().get("trips")).isEqualTo(Value.getDefaultInstance());
    assertThat(missing.getEntityTimestamp().getSeconds()).isZero();
  }

  @Test
  @Order(2)
  void readsEveryValueType() {
    Row row =
        client
            .getOnlineFeatures(
                List.of(
                    "driver_types:rank",
                    "driver_types:score",
                    "driver_types:weight",
                    "driver_types:name",
                    "driver_types:active",
                    "driver_types:blob",
                    "driver_types:counts",
                    "driver_types:ratios",
                    "driver_types:weights",
                    "driver_types:labels",
                    "driver_types:seen",
                    "driver_stats:trips"),
                List.of(driver(1001)),
                project)
            .get(0);

    assertThat(row.getInt("rank")).isEqualTo(7);
    assertThat(row.getDouble("score")).isEqualTo(0.125);
    assertThat(row.getFloat("weight")).isEqualTo(1.5f);
    assertThat(row.getString("name")).isEqualTo("Ada");
    assertThat(row.getFields().get("active").getBoolVal()).isTrue();
    assertThat(row.getByte("blob")).isEqualTo(BLOB);
    assertThat(row.getFields().get("counts").getInt64ListVal().getValList())
        .containsExactly(1L, 2L, 3L);
    assertThat(row.getFields().get("ratios").getDoubleListVal().getValList())
        .containsExactly(0.5, 0.25);
    assertThat(row.getFields().get("weights").getFloatListVal().getValList()).containsExactly(1.5f);
    assertThat(row.getFields().get("labels").getStringListVal().getValList())
        .containsExactly("a", "b");
    assertThat(row.getFields().get("seen").getUnixTimestampVal()).isEqualTo(NOW.getEpochSecond());
    assertThat(row.getLong("trips")).isEqualTo(42L);
    assertThat(row.getStatuses().values()).containsOnly(FieldStatus.PRESENT);
  }

  @Test
  @Order(3)
  void looksUpCompositeKeys() {
    List<Row> rows =
        client.getOnlineFeatures(
            List.of("driver_customer:affinity"),
            List.of(
                Row.create().set("driver_id", 1001L).set("customer_id", 501L),
                Row.create().set("driver_id", 1001L).set("customer_id", 502L)),
            project);

    assertThat(rows.get(0).getDouble("affinity")).isEqualTo(0.9);
    assertThat(rows.get(0).getLong("customer_id")).isEqualTo(501L);
    assertThat(rows.get(0).getStatus("affinity")).isEqualTo(FieldStatus.PRESENT);
    assertThat(rows.get(1).getStatus("affinity")).isEqualTo(FieldStatus.NOT_FOUND);
  }

  /**
   * Feast's client has no call for a feature service, so this uses the stub it is built on (Feast's
   * generated {@code ServingServiceGrpc}, on the client's gRPC 1.30).
   */
  @Test
  @Order(4)
  void servesAFeatureServiceToFeastsGeneratedStub() throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      Metadata key = new Metadata();
      key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), API_KEY);
      GetOnlineFeaturesResponse response =
          MetadataUtils.attachHeaders(ServingServiceGrpc.newBlockingStub(channel), key)
              .getOnlineFeatures(
                  GetOnlineFeaturesRequest.newBuilder()
                      .setFeatureService("driver_service")
                      .setFullFeatureNames(true)
                      .putEntities(
                          "driver_id",
                          RepeatedValue.newBuilder()
                              .addVal(Value.newBuilder().setInt64Val(1001))
                              .build())
                      .build());

      assertThat(response.getMetadata().getFeatureNames().getValList())
          .containsExactly(
              "driver_id",
              "driver_stats__conv_rate",
              "driver_stats__trips",
              "driver_profile__rating");
      assertThat(response.getResults(3).getValues(0).getDoubleVal()).isEqualTo(4.5);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  void answersAnUnknownFeatureWithNotFoundNamingIt() {
    assertThatThrownBy(
            () ->
                client.getOnlineFeatures(
                    List.of("driver_stats:trip"), List.of(driver(1001)), project))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessage(
            "NOT_FOUND: Cannot find feature 'trip' in feature view 'driver_stats' (did you mean"
                + " 'trips'?)");

    assertThatThrownBy(
            () ->
                client.getOnlineFeatures(
                    List.of("driver_stats:trips"),
                    List.of(driver(1), driver(2), driver(3), driver(4)),
                    project))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .hasMessage(
            "RESOURCE_EXHAUSTED: Cannot get online features: 4 entity rows exceed the limit of 3"
                + " per request (featurestore.max-entities); split the request");
  }

  @Test
  @Order(6)
  void requiresTheApiKey() throws Exception {
    try (FeastClient anonymous = FeastClient.create("127.0.0.1", server.grpcPort())) {
      assertThatThrownBy(() -> anonymous.getOnlineFeatures(List.of("driver_stats:trips"), rows()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
          .hasMessage(
              "UNAUTHENTICATED: Cannot authenticate: the X-API-Key header is missing; send the API"
                  + " key of featurestore.yaml (online.api_key) in it or as 'Authorization:"
                  + " Bearer <key>'");
    }
    try (FeastClient wrong =
        FeastClient.createSecure("127.0.0.1", server.grpcPort(), withKey("Bearer nope"))) {
      assertThatThrownBy(() -> wrong.getOnlineFeatures(List.of("driver_stats:trips"), rows()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
          .hasMessage(
              "UNAUTHENTICATED: Cannot authenticate: the bearer token does not match the"
                  + " configured API key");
    }
  }

  /**
   * Feast's client drops its {@code project} argument (Feast's request message has no project
   * field), so any project it is given is served the repo's features; a client that must be checked
   * sends {@code project} metadata (tested in online's GrpcServingIT).
   */
  @Test
  @Order(7)
  void servesTheReposProjectWhateverTheClientsProjectArgument() {
    assertThat(
            client
                .getOnlineFeatures(List.of("driver_stats:trips"), rows(), "another_project")
                .get(0)
                .getLong("trips"))
        .isEqualTo(42L);
  }

  @Test
  @Order(100)
  void answersUnavailableWithinTheRedisTimeoutWhenRedisIsDown() {
    redis.stop();

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.getOnlineFeatures(List.of("driver_stats:trips"), rows()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageStartingWith("UNAVAILABLE: Cannot get online features: Redis ")
        .hasMessageEndingWith(" at " + redis.uri() + "; retry later");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  private static List<Row> rows() {
    return List.of(driver(1001));
  }

  private static Row driver(long id) {
    return Row.create().set("driver_id", id);
  }

  /** Feast's client's security settings, with call credentials sending one authorization value. */
  private static SecurityConfig withKey(String authorization) {
    return SecurityConfig.newBuilder()
        .setTLSEnabled(false)
        .setCertificatePath(Optional.empty())
        .setCredentials(Optional.of(new Authorization(authorization)))
        .build();
  }

  private static final class Authorization extends CallCredentials {
    private final String value;

    Authorization(String value) {
      this.value = value;
    }

    @Override
    public void applyRequestMetadata(
        RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), value);
      applier.apply(headers);
    }

    @Override
    public void thisUsesUnstableApi() {}
  }

  /** The serving test project plus a view with every other value type. */
  private static Definitions definitions(String project) {
    Definitions serving = ServingDefinitions.definitions(project);
    FeatureView types =
        view(
            "driver_types",
            List.of("driver"),
            "rides_source",
            Duration.ZERO,
            true,
            List.of(
                Feature.of("rank", ValueType.INT32),
                Feature.of("score", ValueType.FLOAT64),
                Feature.of("weight", ValueType.FLOAT32),
                Feature.of("name", ValueType.STRING),
                Feature.of("active", ValueType.BOOL),
                Feature.of("blob", ValueType.BYTES),
                Feature.of("counts", ValueType.ARRAY_INT64),
                Feature.of("ratios", ValueType.ARRAY_FLOAT64),
                Feature.of("weights", ValueType.ARRAY_FLOAT32),
                Feature.of("labels", ValueType.ARRAY_STRING),
                Feature.of("seen", ValueType.TIMESTAMP)));
    List<FeatureView> views = new ArrayList<>(serving.featureViews());
    views.add(types);
    return new Definitions(
        project, serving.entities(), serving.sources(), views, serving.featureServices());
  }

  /** Values written as the materializer writes them: keys and values from the shared codec. */
  private static void writeValues(Definitions definitions) {
    RedisClient redisClient = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        redisClient.connect(ByteArrayCodec.INSTANCE)) {
      put(
          connection,
          definitions,
          "driver_stats",
          List.of(1001L),
          FRESH,
          Arrays.asList(0.5, 0.25f, 42L, null));
      put(
          connection,
          definitions,
          "driver_stats",
          List.of(1002L),
          STALE,
          List.of(0.7, 0.5f, 7L, "late"));
      put(
          connection,
          definitions,
          "driver_profile",
          List.of(1001L),
          FRESH,
          List.of(4.5, "Paris", List.of("a"), NOW));
      put(connection, definitions, "driver_customer", List.of(1001L, 501L), FRESH, List.of(0.9));
      put(
          connection,
          definitions,
          "driver_types",
          List.of(1001L),
          FRESH,
          List.of(
              7,
              0.125,
              1.5f,
              "Ada",
              true,
              BLOB,
              List.of(1L, 2L, 3L),
              List.of(0.5, 0.25),
              List.of(1.5f),
              List.of("a", "b"),
              NOW));
    } finally {
      redisClient.shutdown();
    }
  }

  private static void put(
      StatefulRedisConnection<byte[], byte[]> connection,
      Definitions definitions,
      String viewName,
      List<?> keyValues,
      Instant event,
      List<?> features) {
    FeatureView view = definitions.requireFeatureView(viewName);
    byte[] key =
        OnlineKeys.key(definitions.project(), view.name(), definitions.joinKeysOf(view), keyValues);
    long micros = event.getEpochSecond() * 1_000_000L;
    connection
        .sync()
        .set(
            key,
            new OnlineValueCodec(definitions.project(), view)
                .encode(features, micros, OptionalLong.empty()));
  }
}
