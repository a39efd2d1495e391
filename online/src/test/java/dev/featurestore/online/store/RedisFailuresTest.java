/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Lettuce's failures by type: refused credentials, no answer in time, not reachable. */
class RedisFailuresTest {
  private static final String AT = "redis://:***@127.0.0.1:6390";
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  @Test
  void reportsARefusedPasswordOfTheHandshake() {
    Throwable handshake =
        new RedisConnectionException(
            "Unable to connect to 127.0.0.1:6390",
            new RedisCommandExecutionException(
                "WRONGPASS invalid username-password pair or user is disabled."));
    assertThat(failure(new CompletionException(handshake)))
        .hasMessage(
            "Cannot get online features: Redis at "
                + AT
                + " refused the password (WRONGPASS); check the password in online.redis of"
                + " featurestore.yaml (redis://:PASSWORD@host:port)")
        .hasCause(handshake)
        .extracting(FeatureStoreException::errorCode)
        .isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void reportsAMissingPasswordOfACommand() {
    assertThat(failure(new RedisCommandExecutionException("NOAUTH Authentication required.")))
        .hasMessage(
            "Cannot get online features: Redis at "
                + AT
                + " requires a password (NOAUTH); check the password in online.redis of"
                + " featurestore.yaml (redis://:PASSWORD@host:port)");
  }

  @Test
  void reportsNoAnswerWithinTheTimeout() {
    String expected =
        "Cannot get online features: Redis did not answer within 200 ms at " + AT + "; retry later";
    assertThat(failure(new RedisCommandTimeoutException("Command timed out after 200 ms")))
        .hasMessage(expected);
    assertThat(failure(new CompletionException(new TimeoutException()))).hasMessage(expected);
  }

  @Test
  void reportsOtherFailuresAsNotReachable() {
    // Another error reply is not about credentials, even when its text mentions a password.
    assertThat(
            failure(
                new RedisConnectionException(
                    "Unable to connect to 127.0.0.1:6390",
                    new RedisCommandExecutionException("ERR wrong password NOAUTH"))))
        .hasMessage(
            "Cannot get online features: Redis is not reachable (Unable to connect to"
                + " 127.0.0.1:6390: ERR wrong password NOAUTH) at "
                + AT
                + "; retry later");
  }

  @Test
  void passesFeatureStoreErrorsUnchanged() {
    FeatureStoreException known =
        new FeatureStoreException(ErrorCode.INTERNAL_ERROR, "Cannot decode: bad bytes");
    assertThat(failure(new CompletionException(known))).isSameAs(known);
  }

  private static FeatureStoreException failure(Throwable error) {
    return RedisFailures.unavailable("get online features", AT, TIMEOUT, error);
  }
}
