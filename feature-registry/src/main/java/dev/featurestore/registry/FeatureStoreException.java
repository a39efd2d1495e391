/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry;

import static java.util.Objects.requireNonNull;

/** The one exception type of the feature store; it carries an {@link ErrorCode}. */
public class FeatureStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode errorCode;

  /** Creates an exception with a message of the form {@code Cannot <do X>: <reason>}. */
  public FeatureStoreException(ErrorCode errorCode, String message) {
    super(message);
    this.errorCode = requireNonNull(errorCode, "errorCode is null");
  }

  /** Creates an exception that chains its cause. */
  public FeatureStoreException(ErrorCode errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = requireNonNull(errorCode, "errorCode is null");
  }

  /** Creates an exception with a formatted message ({@link String#format}). */
  public static FeatureStoreException of(ErrorCode errorCode, String format, Object... args) {
    return new FeatureStoreException(errorCode, String.format(format, args));
  }

  /**
   * Creates an exception with a formatted message ({@link String#format}) that chains its cause:
   * {@code of(UNAVAILABLE, e, "Cannot read %s: %s", file, e.getMessage())}.
   */
  public static FeatureStoreException of(
      ErrorCode errorCode, Throwable cause, String format, Object... args) {
    return new FeatureStoreException(errorCode, String.format(format, args), cause);
  }

  /** Returns the stable error code. */
  public ErrorCode errorCode() {
    return errorCode;
  }
}
