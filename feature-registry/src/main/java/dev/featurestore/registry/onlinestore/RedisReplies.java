/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import java.util.Optional;
import java.util.Set;

/**
 * What a Redis error reply means, read from its error code: the first word of the reply, which the
 * Redis protocol defines for clients to act on ("the first word after the -, up to the first space
 * or newline, represents the kind of error returned") and which, unlike the text after it, is the
 * same across Redis versions. The materializer and the online service, which talk to Redis through
 * Lettuce, pass it the message of Lettuce's {@code RedisCommandExecutionException} (the reply).
 */
public final class RedisReplies {
  /** The codes of a refused login: a wrong user or password, or none given where one is needed. */
  private static final Set<String> REFUSED_CREDENTIALS = Set.of("WRONGPASS", "NOAUTH");

  private RedisReplies() {}

  /**
   * The error code of a reply that refused the client's credentials ({@code WRONGPASS} or {@code
   * NOAUTH}), or empty for any other reply.
   */
  public static Optional<String> refusedCredentials(String reply) {
    if (reply == null) {
      return Optional.empty();
    }
    String code = reply.split(" ", 2)[0];
    return REFUSED_CREDENTIALS.contains(code) ? Optional.of(code) : Optional.empty();
  }
}
