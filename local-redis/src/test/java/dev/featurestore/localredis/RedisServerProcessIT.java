/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.localredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisServerProcessIT {
  @Test
  void startsTheNamedBinaryAndStopsAndStartsOnTheSamePort() {
    try (RedisServerProcess server =
        RedisServerProcess.startEphemeral(RedisServerProcess.binary(), List.of())) {
      assertThat(RedisServerProcess.ping(server.port())).isTrue();
      server.stop();
      assertThat(RedisServerProcess.ping(server.port())).isFalse();
      server.start();
      assertThat(RedisServerProcess.ping(server.port())).isTrue();
    }
  }

  @Test
  void aServerWithAPasswordIsReadyThoughPingAnswersNoAuth() throws IOException {
    try (RedisServerProcess server =
        RedisServerProcess.startEphemeral(
            RedisServerProcess.binary(), List.of("--requirepass", "secret"))) {
      assertThat(RedisServerProcess.ping(server.port())).isFalse();
      assertThat(reply(server.port(), "AUTH secret\r\nPING\r\n")).isEqualTo("+OK\r\n+PONG\r\n");
    }
  }

  @Test
  void aServerThatExitsFailsTheStartWithItsOutput() {
    assertThatThrownBy(
            () ->
                RedisServerProcess.startEphemeral(
                    RedisServerProcess.binary(), List.of("--no-such-directive", "yes")))
        .isInstanceOf(LocalRedisException.class)
        .hasMessageStartingWith("Cannot start " + RedisServerProcess.binary() + " on port ")
        .hasMessageContaining(": it exited with code 1; its output: ")
        .hasMessageContaining("no-such-directive");
  }

  @Test
  void aMissingBinaryIsNamed() {
    Path missing = Path.of("/nonexistent/redis-server");
    assertThatThrownBy(() -> RedisServerProcess.startEphemeral(missing, List.of()))
        .isInstanceOf(LocalRedisException.class)
        .hasMessageStartingWith("Cannot start /nonexistent/redis-server: ");
  }

  private static String reply(int port, String commands) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(commands.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
    }
  }
}
