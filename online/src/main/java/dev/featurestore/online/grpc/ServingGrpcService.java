/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import com.google.protobuf.Timestamp;
import dev.featurestore.feast.protocol.serving.ServingApi;
import dev.featurestore.feast.protocol.serving.ServingApi.FeatureList;
import dev.featurestore.feast.protocol.serving.ServingApi.GetFeastServingInfoRequest;
import dev.featurestore.feast.protocol.serving.ServingApi.GetFeastServingInfoResponse;
import dev.featurestore.feast.protocol.serving.ServingApi.GetOnlineFeaturesResponseMetadata;
import dev.featurestore.feast.protocol.serving.ServingServiceGrpc;
import dev.featurestore.feast.protocol.types.ValueProto.Value;
import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse.FieldStatus;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Feast's {@code feast.serving.ServingService} over the REST endpoint's lookup ({@link
 * OnlineFeatureService}): the same registry snapshot, validation, messages, Redis round trip and
 * statuses; only the values are Feast's protobuf ones ({@link FeastValues}) and errors gRPC
 * statuses ({@link GrpcStatuses}).
 */
final class ServingGrpcService extends ServingServiceGrpc.ServingServiceImplBase {
  private static final ServingApi.FieldStatus[] STATUSES = statuses();

  private final OnlineFeatureService service;
  private final String project;
  private final GetFeastServingInfoResponse info;

  ServingGrpcService(OnlineFeatureService service, String project, String version) {
    this.service = service;
    this.project = project;
    this.info = GetFeastServingInfoResponse.newBuilder().setVersion(version).build();
  }

  @Override
  public void getFeastServingInfo(
      GetFeastServingInfoRequest request, StreamObserver<GetFeastServingInfoResponse> observer) {
    observer.onNext(info);
    observer.onCompleted();
  }

  @Override
  public void getOnlineFeatures(
      ServingApi.GetOnlineFeaturesRequest request,
      StreamObserver<ServingApi.GetOnlineFeaturesResponse> observer) {
    CompletableFuture<GetOnlineFeaturesResponse> answer;
    try {
      checkProject(CallInterceptor.PROJECT.get());
      answer =
          service.lookup(lookupRequest(request), FeastValues.encoding(request.getEntitiesMap()));
    } catch (RuntimeException e) {
      observer.onError(GrpcStatuses.of(e, "GetOnlineFeatures"));
      return;
    }
    answer.whenComplete(
        (found, error) -> {
          if (error != null) {
            observer.onError(GrpcStatuses.of(error, "GetOnlineFeatures"));
            return;
          }
          ServingApi.GetOnlineFeaturesResponse response;
          try {
            response = response(found);
          } catch (RuntimeException e) {
            observer.onError(GrpcStatuses.of(e, "GetOnlineFeatures"));
            return;
          }
          observer.onNext(response);
          observer.onCompleted();
        });
  }

  private void checkProject(String asked) {
    if (asked != null && !asked.equals(project)) {
      throw FeatureStoreException.of(
          ErrorCode.NOT_FOUND,
          "Cannot get online features: project '%s' is not served here; this service serves"
              + " project '%s'",
          asked,
          project);
    }
  }

  /** The request as the lookup takes it (Feast's {@code request_context} is not used). */
  static GetOnlineFeaturesRequest lookupRequest(ServingApi.GetOnlineFeaturesRequest request) {
    List<String> features =
        request.getKindCase() == ServingApi.GetOnlineFeaturesRequest.KindCase.FEATURES
            ? request.getFeatures().getValList()
            : null;
    String featureService =
        request.getKindCase() == ServingApi.GetOnlineFeaturesRequest.KindCase.FEATURE_SERVICE
            ? request.getFeatureService()
            : null;
    return new GetOnlineFeaturesRequest(
        features,
        featureService,
        FeastValues.entities(request.getEntitiesMap()),
        request.getFullFeatureNames());
  }

  /** The lookup's answer as Feast's message: the same columns, rows, statuses and timestamps. */
  static ServingApi.GetOnlineFeaturesResponse response(GetOnlineFeaturesResponse found) {
    ServingApi.GetOnlineFeaturesResponse.Builder response =
        ServingApi.GetOnlineFeaturesResponse.newBuilder()
            .setMetadata(
                GetOnlineFeaturesResponseMetadata.newBuilder()
                    .setFeatureNames(
                        FeatureList.newBuilder().addAllVal(found.metadata().featureNames())));
    Map<String, Timestamp> timestamps = new HashMap<>();
    for (GetOnlineFeaturesResponse.FeatureVector column : found.results()) {
      ServingApi.GetOnlineFeaturesResponse.FeatureVector.Builder vector =
          ServingApi.GetOnlineFeaturesResponse.FeatureVector.newBuilder();
      for (Object value : column.values()) {
        vector.addValues(value == null ? FeastValues.NULL : (Value) value);
      }
      for (FieldStatus status : column.statuses()) {
        vector.addStatuses(STATUSES[status.ordinal()]);
      }
      for (String timestamp : column.eventTimestamps()) {
        vector.addEventTimestamps(timestamps.computeIfAbsent(timestamp, FeastValues::timestamp));
      }
      response.addResults(vector);
    }
    return response.build();
  }

  private static ServingApi.FieldStatus[] statuses() {
    FieldStatus[] ours = FieldStatus.values();
    ServingApi.FieldStatus[] feast = new ServingApi.FieldStatus[ours.length];
    for (FieldStatus status : ours) {
      feast[status.ordinal()] = ServingApi.FieldStatus.valueOf(status.name());
    }
    return feast;
  }
}
