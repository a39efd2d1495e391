/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.onlinestore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisRepliesTest {
  @Test
  void readsARefusedLoginFromTheReplysErrorCode() {
    assertThat(
            RedisReplies.refusedCredentials(
                "WRONGPASS invalid username-password pair or user is disabled."))
        .contains("WRONGPASS");
    assertThat(RedisReplies.refusedCredentials("NOAUTH Authentication required."))
        .contains("NOAUTH");
    assertThat(RedisReplies.refusedCredentials("NOAUTH")).contains("NOAUTH");
  }

  @Test
  void anyOtherReplyIsNotARefusedLogin() {
    assertThat(RedisReplies.refusedCredentials("ERR unknown command 'FOO'")).isEmpty();
    assertThat(RedisReplies.refusedCredentials("ERR WRONGPASS in the text")).isEmpty();
    assertThat(RedisReplies.refusedCredentials("wrongpass lower case")).isEmpty();
    assertThat(RedisReplies.refusedCredentials("")).isEmpty();
    assertThat(RedisReplies.refusedCredentials(null)).isEmpty();
  }
}
