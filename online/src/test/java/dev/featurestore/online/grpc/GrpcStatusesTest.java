/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class GrpcStatusesTest {
  @Test
  void mapsEveryErrorCodeToItsGrpcCodeWithTheMessageAndTheCodeAsTrailer() {
    Map<ErrorCode, Status.Code> expected = new EnumMap<>(ErrorCode.class);
    expected.put(ErrorCode.INVALID_DEFINITION, Status.Code.INVALID_ARGUMENT);
    expected.put(ErrorCode.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT);
    expected.put(ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND);
    expected.put(ErrorCode.INVALID_DATA, Status.Code.INVALID_ARGUMENT);
    expected.put(ErrorCode.CONFLICT, Status.Code.ABORTED);
    expected.put(ErrorCode.BREAKING_CHANGE, Status.Code.FAILED_PRECONDITION);
    expected.put(ErrorCode.LIMIT_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);
    expected.put(ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE);
    expected.put(ErrorCode.INTERNAL_ERROR, Status.Code.INTERNAL);
    assertThat(expected.keySet()).containsExactly(ErrorCode.values());

    for (ErrorCode code : ErrorCode.values()) {
      StatusRuntimeException status =
          GrpcStatuses.of(
              new FeatureStoreException(code, "Cannot do it: " + code.name()), "GetOnlineFeatures");

      assertThat(status.getStatus().getCode()).as(code.name()).isEqualTo(expected.get(code));
      assertThat(status.getStatus().getDescription()).isEqualTo("Cannot do it: " + code.name());
      assertThat(status.getTrailers().get(GrpcStatuses.ERROR_CODE)).isEqualTo(code.name());
    }
    assertThat(GrpcStatuses.CODES).isEqualTo(expected);
  }

  @Test
  void unwrapsAFailedFutureAndHidesUnexpectedErrors() {
    StatusRuntimeException unavailable =
        GrpcStatuses.of(
            new CompletionException(
                new FeatureStoreException(ErrorCode.UNAVAILABLE, "Cannot get online features: x")),
            "GetOnlineFeatures");
    assertThat(unavailable.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(unavailable).hasMessage("UNAVAILABLE: Cannot get online features: x");

    StatusRuntimeException internal =
        GrpcStatuses.of(new IllegalStateException("secret detail"), "GetOnlineFeatures");
    assertThat(internal)
        .hasMessage(
            "INTERNAL: Internal error (IllegalStateException); the server log has the details");
    assertThat(internal.getTrailers().get(GrpcStatuses.ERROR_CODE)).isEqualTo("INTERNAL_ERROR");
  }
}
