/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;

/**
 * A request the client must fix, answered with 400 whatever its error code (an unknown feature
 * named in a request body is a bad request, not a missing resource), or 413 for a limit.
 */
public final class RequestException extends FeatureStoreException {
  private static final long serialVersionUID = 1L;

  RequestException(ErrorCode code, String message) {
    super(code, message);
  }

  RequestException(FeatureStoreException cause) {
    super(cause.errorCode(), cause.getMessage(), cause);
  }

  static RequestException invalid(String format, Object... args) {
    return new RequestException(
        ErrorCode.INVALID_ARGUMENT, "Cannot get online features: " + String.format(format, args));
  }
}
