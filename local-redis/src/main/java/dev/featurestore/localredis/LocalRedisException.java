/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.localredis;

/**
 * A local redis-server could not be found, started or stopped. The command layer reports it as an
 * unavailable-service error; this module stays free of the registry's error types so that the
 * registry's test fixture can use it.
 */
public final class LocalRedisException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what could not be done and why, in the form {@code Cannot <do X>: <reason>}
   * @param cause the underlying failure, or null
   */
  public LocalRedisException(String message, Throwable cause) {
    super(message, cause);
  }
}
