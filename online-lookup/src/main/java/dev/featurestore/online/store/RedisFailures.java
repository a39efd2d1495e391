/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.onlinestore.RedisReplies;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Lettuce's failures as the feature store's errors, told apart by their types (and a server's error
 * reply by its protocol error code), never by message text.
 */
final class RedisFailures {
  private RedisFailures() {}

  /**
   * A failure talking to Redis at {@code description} (redacted) while doing {@code action}, as an
   * UNAVAILABLE error saying what to do: fix the password when Redis refused the credentials
   * ({@link #refusedCredentials}), else retry later (no answer within {@code timeout}, not
   * reachable). A feature store error passes unchanged.
   */
  static FeatureStoreException unavailable(
      String action, String description, Duration timeout, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof FeatureStoreException known) {
      return known;
    }
    Optional<String> refused = refusedCredentials(cause);
    if (refused.isPresent()) {
      String problem =
          refused.get().equals("WRONGPASS")
              ? "refused the password (WRONGPASS)"
              : "requires a password (NOAUTH)";
      return new FeatureStoreException(
          ErrorCode.UNAVAILABLE,
          String.format(
              "Cannot %s: Redis at %s %s; check the password in online.redis of"
                  + " featurestore.yaml (redis://:PASSWORD@host:port)",
              action, description, problem),
          cause);
    }
    String reason =
        cause instanceof TimeoutException || cause instanceof RedisCommandTimeoutException
            ? "Redis did not answer within " + timeout.toMillis() + " ms"
            : "Redis is not reachable (" + causes(cause) + ")";
    return new FeatureStoreException(
        ErrorCode.UNAVAILABLE,
        String.format("Cannot %s: %s at %s; retry later", action, reason, description),
        cause);
  }

  /**
   * The error code of Redis's reply when it refused the client's credentials: {@code WRONGPASS}
   * (wrong user or password) or {@code NOAUTH} (a password is required), whether to a command or to
   * the handshake of a new connection (then the cause of Lettuce's {@link
   * RedisConnectionException}). The text after the code differs between Redis versions, so it is
   * not repeated in messages.
   *
   * <p>Lettuce reports every error reply of the server as a {@link RedisCommandExecutionException}
   * whose message is the reply, and has no subtype for these two. The reply's first word is the
   * error code the Redis protocol defines for clients to act on (RESP simple errors: "the first
   * word after the -, up to the first space or newline, represents the kind of error returned"),
   * stable across Redis versions unlike the text after it; Lettuce picks its own subtypes the same
   * way ({@code BUSY}, {@code NOSCRIPT}, {@code LOADING}). So the type selects a server's reply and
   * only its protocol error code is compared, never its prose.
   */
  static Optional<String> refusedCredentials(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RedisCommandExecutionException reply) {
        Optional<String> code = RedisReplies.refusedCredentials(reply.getMessage());
        if (code.isPresent()) {
          return code;
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  private static String causes(Throwable error) {
    StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      text.append(": ").append(cause.getMessage());
    }
    return text.toString();
  }
}
