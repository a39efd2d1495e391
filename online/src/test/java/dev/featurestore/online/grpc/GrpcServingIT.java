/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Timestamp;
import dev.featurestore.feast.protocol.serving.ServingApi.FeatureList;
import dev.featurestore.feast.protocol.serving.ServingApi.FieldStatus;
import dev.featurestore.feast.protocol.serving.ServingApi.GetFeastServingInfoRequest;
import dev.featurestore.feast.protocol.serving.ServingApi.GetOnlineFeaturesRequest;
import dev.featurestore.feast.protocol.serving.ServingApi.GetOnlineFeaturesResponse;
import dev.featurestore.feast.protocol.serving.ServingServiceGrpc;
import dev.featurestore.feast.protocol.serving.ServingServiceGrpc.ServingServiceBlockingStub;
import dev.featurestore.feast.protocol.types.ValueProto.RepeatedValue;
import dev.featurestore.feast.protocol.types.ValueProto.Value;
import dev.featurestore.online.testing.OnlineTestApp;
import dev.featurestore.online.testing.OnlineTestStore;
import dev.featurestore.registry.definition.Definitions;
import dev.featurestore.registry.repo.FeatureRepo;
import dev.featurestore.registry.testing.RedisFixture;
import dev.featurestore.registry.testing.ServingDefinitions;
import dev.featurestore.registry.testing.TestDefinitions;
import dev.featurestore.registry.testing.TestRepos;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feast's gRPC ServingService of the real app (the generated stub of Feast's protocol on this
 * module's gRPC runtime), against a real Redis, next to the REST endpoint: the same answers, and
 * the same messages behind gRPC status codes. Feast's own Java client is tested in the
 * feast-compatibility module.
 */
class GrpcServingIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Instant FRESH = NOW.minus(Duration.ofMinutes(10));
  private static final Instant STALE = NOW.minus(Duration.ofHours(2));

  @TempDir static Path root;
  private static String project;
  private static OnlineTestStore store;
  private static OnlineTestApp app;
  private static ManagedChannel channel;
  private static ServingServiceBlockingStub stub;

  @BeforeAll
  static void start() {
    project = TestDefinitions.uniqueProject();
    Definitions definitions = ServingDefinitions.definitions(project);
    String uri = RedisFixture.shared().uri();
    store = new OnlineTestStore(uri);
    store.put(
        definitions, "driver_stats", List.of(1001L), FRESH, Arrays.asList(0.5, 0.25f, 42L, null));
    store.put(definitions, "driver_stats", List.of(1002L), STALE, List.of(0.7, 0.5f, 7L, "late"));
    store.put(
        definitions,
        "driver_profile",
        List.of(1001L),
        FRESH,
        List.of(4.5, "Paris", List.of("a"), NOW));
    store.put(definitions, "driver_customer", List.of(1001L, 501L), FRESH, List.of(0.9));
    FeatureRepo repo = TestRepos.create(root, definitions, uri, Optional.empty());
    app = OnlineTestApp.start(repo.root(), Map.of("featurestore.max-entities", "3"));
    channel = channel(app);
    stub = ServingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    app.close();
    store.close();
  }

  @Test
  void answersEveryStatusWithEventTimestamps() {
    GetOnlineFeaturesResponse response =
        stub.getOnlineFeatures(
            features(
                    "driver_stats:conv_rate",
                    "driver_stats:acc_rate",
                    "driver_stats:trips",
                    "driver_stats:note")
                .putEntities("driver_id", longs(1001, 1002, 1003))
                .build());

    assertThat(response.getMetadata().getFeatureNames().getValList())
        .containsExactly("driver_id", "conv_rate", "acc_rate", "trips", "note");
    assertThat(response.getResults(0).getValuesList())
        .isEqualTo(longs(1001, 1002, 1003).getValList());
    assertThat(response.getResults(0).getStatusesList())
        .containsExactly(FieldStatus.PRESENT, FieldStatus.PRESENT, FieldStatus.PRESENT);
    assertThat(response.getResults(1).getValuesList())
        .containsExactly(
            Value.newBuilder().setDoubleVal(0.5).build(),
            Value.getDefaultInstance(),
            Value.getDefaultInstance());
    assertThat(response.getResults(1).getStatusesList())
        .containsExactly(FieldStatus.PRESENT, FieldStatus.OUTSIDE_MAX_AGE, FieldStatus.NOT_FOUND);
    assertThat(response.getResults(1).getEventTimestampsList())
        .containsExactly(timestamp(FRESH), timestamp(STALE), Timestamp.getDefaultInstance());
    assertThat(response.getResults(2).getValues(0))
        .isEqualTo(Value.newBuilder().setFloatVal(0.25f).build());
    assertThat(response.getResults(3).getValues(0))
        .isEqualTo(Value.newBuilder().setInt64Val(42).build());
    assertThat(response.getResults(4).getStatusesList())
        .containsExactly(
            FieldStatus.NULL_VALUE, FieldStatus.OUTSIDE_MAX_AGE, FieldStatus.NOT_FOUND);
    assertThat(response.getResults(4).getValuesList()).containsOnly(Value.getDefaultInstance());
  }

  @Test
  void servesCompositeKeysAFeatureServiceAndFullNames() {
    GetOnlineFeaturesResponse composite =
        stub.getOnlineFeatures(
            features("driver_customer:affinity")
                .putEntities("driver_id", longs(1001, 1001))
                .putEntities("customer_id", longs(501, 502))
                .setFullFeatureNames(true)
                .build());
    assertThat(composite.getMetadata().getFeatureNames().getValList())
        .containsExactlyInAnyOrder("driver_id", "customer_id", "driver_customer__affinity");
    assertThat(composite.getResults(2).getValuesList())
        .containsExactly(Value.newBuilder().setDoubleVal(0.9).build(), Value.getDefaultInstance());
    assertThat(composite.getResults(2).getStatusesList())
        .containsExactly(FieldStatus.PRESENT, FieldStatus.NOT_FOUND);

    GetOnlineFeaturesResponse service =
        stub.getOnlineFeatures(
            GetOnlineFeaturesRequest.newBuilder()
                .setFeatureService("driver_service")
                .putEntities("driver_id", longs(1001))
                .build());
    assertThat(service.getMetadata().getFeatureNames().getValList())
        .containsExactly("driver_id", "conv_rate", "trips", "rating");
    assertThat(service.getResults(3).getValues(0))
        .isEqualTo(Value.newBuilder().setDoubleVal(4.5).build());

    GetOnlineFeaturesResponse profile =
        stub.getOnlineFeatures(
            features("driver_profile:city", "driver_profile:tags", "driver_profile:since")
                .putEntities("driver_id", longs(1001))
                .build());
    assertThat(profile.getResults(1).getValues(0).getStringVal()).isEqualTo("Paris");
    assertThat(profile.getResults(2).getValues(0).getStringListVal().getValList())
        .containsExactly("a");
    assertThat(profile.getResults(3).getValues(0).getUnixTimestampVal())
        .isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void readsEveryViewAndEntityOfACallInOneRedisRoundTrip() {
    store.resetStats();

    GetOnlineFeaturesResponse response =
        stub.getOnlineFeatures(
            GetOnlineFeaturesRequest.newBuilder()
                .setFeatureService("driver_service")
                .putEntities("driver_id", longs(1001, 1002, 1003))
                .build());

    assertThat(response.getResultsCount()).isEqualTo(4);
    String stats = store.info("commandstats");
    assertThat(calls(stats, "mget")).isEqualTo(1);
    assertThat(calls(stats, "get")).isZero();
  }

  @Test
  void answersErrorsWithGrpcCodesAndRestsMessages() {
    assertFailsAsRest(
        features("driver_stats:nope").putEntities("driver_id", longs(1001)).build(),
        "{\"features\": [\"driver_stats:nope\"], \"entities\": {\"driver_id\": [1001]}}",
        Status.Code.NOT_FOUND,
        "NOT_FOUND");
    assertFailsAsRest(
        features("driver_stats:trips")
            .putEntities(
                "driver_id",
                RepeatedValue.newBuilder().addVal(Value.newBuilder().setStringVal("x")).build())
            .build(),
        "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [\"x\"]}}",
        Status.Code.INVALID_ARGUMENT,
        "INVALID_ARGUMENT");
    assertFailsAsRest(
        features("driver_stats:trips").putEntities("driver_id", longs(1, 2, 3, 4)).build(),
        "{\"features\": [\"driver_stats:trips\"], \"entities\": {\"driver_id\": [1, 2, 3, 4]}}",
        Status.Code.RESOURCE_EXHAUSTED,
        "LIMIT_EXCEEDED");
    assertFailsAsRest(
        GetOnlineFeaturesRequest.newBuilder().putEntities("driver_id", longs(1)).build(),
        "{\"entities\": {\"driver_id\": [1]}}",
        Status.Code.INVALID_ARGUMENT,
        "INVALID_ARGUMENT");
  }

  @Test
  void refusesAMessageOverRestsBodyLimit() {
    GetOnlineFeaturesRequest large =
        features("driver_stats:trips")
            .putEntities(
                "driver_id",
                RepeatedValue.newBuilder()
                    .addVal(Value.newBuilder().setStringVal("x".repeat(1_100_000)))
                    .build())
            .build();

    assertThatThrownBy(() -> stub.getOnlineFeatures(large))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .hasMessageStartingWith("RESOURCE_EXHAUSTED: gRPC message exceeds maximum size 1048576: ");
  }

  @Test
  void refusesAnotherProjectNamingBoth() {
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("project", Metadata.ASCII_STRING_MARSHALLER), "other");
    ServingServiceBlockingStub other =
        stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));

    assertThatThrownBy(
            () ->
                other.getOnlineFeatures(
                    features("driver_stats:trips").putEntities("driver_id", longs(1001)).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessage(
            "NOT_FOUND: Cannot get online features: project 'other' is not served here; this"
                + " service serves project '"
                + project
                + "'");

    metadata.put(Metadata.Key.of("project", Metadata.ASCII_STRING_MARSHALLER), project);
    Metadata same = new Metadata();
    same.put(Metadata.Key.of("project", Metadata.ASCII_STRING_MARSHALLER), project);
    assertThat(
            stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(same))
                .getOnlineFeatures(
                    features("driver_stats:trips").putEntities("driver_id", longs(1001)).build())
                .getResults(1)
                .getValues(0)
                .getInt64Val())
        .isEqualTo(42);
  }

  @Test
  void answersServingInfoAndTimesEveryCall() {
    assertThat(
            stub.getFeastServingInfo(GetFeastServingInfoRequest.getDefaultInstance()).getVersion())
        .startsWith("featurestore ");
    MeterRegistry registry = app.context().getBean(MeterRegistry.class);
    long before = count(registry, "GetOnlineFeatures", "OK");

    stub.getOnlineFeatures(
        features("driver_stats:trips").putEntities("driver_id", longs(1)).build());

    assertThat(count(registry, "GetOnlineFeatures", "OK")).isEqualTo(before + 1);
    assertThat(count(registry, "GetFeastServingInfo", "OK")).isPositive();
  }

  @Test
  void stopsWithTheContextAndCanBeTurnedOff() throws IOException {
    FeatureRepo repo =
        TestRepos.create(
            root.resolve("second"),
            ServingDefinitions.definitions(project),
            RedisFixture.shared().uri(),
            Optional.empty());
    OnlineTestApp second = OnlineTestApp.start(repo.root(), Map.of());
    int port = second.context().getBean(GrpcServer.class).port();
    assertThat(port).isPositive();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      assertThat(socket.isConnected()).isTrue();
    }

    second.close();

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Connection refused");

    try (OnlineTestApp off =
        OnlineTestApp.start(repo.root(), Map.of("featurestore.grpc-port", "-1"))) {
      assertThat(off.context().getBean(GrpcServer.class).port()).isEqualTo(-1);
      assertThat(off.context().getBean(GrpcServer.class).isRunning()).isFalse();
    }
  }

  @Test
  void letsACallInFlightFinishWhenTheContextStops() throws Exception {
    FeatureRepo repo =
        TestRepos.create(
            root.resolve("third"),
            ServingDefinitions.definitions(project),
            RedisFixture.shared().uri(),
            Optional.empty());
    OnlineTestApp third =
        OnlineTestApp.start(repo.root(), Map.of("featurestore.redis-timeout", "5s"));
    ManagedChannel thirdChannel = channel(third);
    try {
      MeterRegistry registry = third.context().getBean(MeterRegistry.class);
      // Redis holds every command for a while, so the call waits on its read.
      store.pauseClients(Duration.ofMillis(1_500));
      ListenableFuture<GetOnlineFeaturesResponse> answer =
          ServingServiceGrpc.newFutureStub(thirdChannel)
              .getOnlineFeatures(
                  features("driver_stats:trips").putEntities("driver_id", longs(1001)).build());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> registry.find("featurestore.online.entities").summary().count() == 1);

      third.close();

      assertThat(answer.isDone()).isTrue();
      assertThat(answer.get().getResults(1).getValues(0).getInt64Val()).isEqualTo(42);
    } finally {
      thirdChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      third.close();
    }
  }

  private static void assertFailsAsRest(
      GetOnlineFeaturesRequest request, String restBody, Status.Code code, String errorCode) {
    JsonNode problem =
        JSON.readTree(
            app.client()
                .post()
                .uri("/get-online-features")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(restBody)
                .exchange()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    String message = problem.get("detail").asString();
    assertThat(message).startsWith("Cannot ");
    assertThat(problem.get("error_code").asString()).isEqualTo(errorCode);

    assertThatThrownBy(() -> stub.getOnlineFeatures(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getTrailers().get(GrpcStatuses.ERROR_CODE)).isEqualTo(errorCode);
            })
        .hasMessage(code.name() + ": " + message);
  }

  private static long calls(String commandStats, String command) {
    Matcher matcher =
        Pattern.compile("(?m)^cmdstat_" + command + ":calls=(\\d+),").matcher(commandStats);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
  }

  private static long count(MeterRegistry registry, String method, String status) {
    var timer =
        registry.find(CallInterceptor.TIMER).tag("method", method).tag("status", status).timer();
    return timer == null ? 0 : timer.count();
  }

  private static GetOnlineFeaturesRequest.Builder features(String... references) {
    return GetOnlineFeaturesRequest.newBuilder()
        .setFeatures(FeatureList.newBuilder().addAllVal(List.of(references)));
  }

  private static RepeatedValue longs(long... values) {
    RepeatedValue.Builder column = RepeatedValue.newBuilder();
    LongStream.of(values).forEach(v -> column.addVal(Value.newBuilder().setInt64Val(v)));
    return column.build();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
  }

  static ManagedChannel channel(OnlineTestApp app) {
    int port = app.context().getBean(GrpcServer.class).port();
    return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }
}
