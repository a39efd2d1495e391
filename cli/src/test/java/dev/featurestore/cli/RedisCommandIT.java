/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.cli.RegistryCliTest.Result;
import dev.featurestore.localredis.EmbeddedRedis;
import dev.featurestore.localredis.RedisServerProcess;
import dev.featurestore.registry.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisCommandIT {
  @TempDir Path dir;

  @AfterEach
  void stopEmbeddedRedis() {
    EmbeddedRedis.stop(dir.resolve(".featurestore"));
  }

  @Test
  void startsShowsAndStopsTheEmbeddedRedisWhoseDataStaysOnDisk() {
    String repo = TestRepos.copyOfExample("rides", dir).toString();
    Path data = dir.resolve(".featurestore/redis").toAbsolutePath();

    Result before = RegistryCliTest.run("redis", "status", "--repo", repo);
    assertThat(before.exitCode()).isZero();
    assertThat(before.out())
        .isEqualTo(
            "Embedded Redis of project 'rides': not running (materialize and serve start it)\n"
                + "  data: "
                + data
                + "\n");

    Result start = RegistryCliTest.run("redis", "start", "--repo", repo);
    assertThat(start.exitCode()).isZero();
    assertThat(start.out()).startsWith("Embedded Redis running at redis://127.0.0.1:");
    String uri = EmbeddedRedis.running(dir.resolve(".featurestore")).orElseThrow();
    int port = Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
    assertThat(RedisServerProcess.ping(port)).isTrue();

    Result status = RegistryCliTest.run("redis", "status", "--repo", repo);
    assertThat(status.out())
        .startsWith("Embedded Redis of project 'rides': running at " + uri + " (pid ")
        .contains("  data: " + data + "\n", "  stop it with: featurestore redis stop --repo ");

    Result stop = RegistryCliTest.run("redis", "stop", "--repo", repo);
    assertThat(stop.out())
        .isEqualTo("Stopped the embedded Redis at " + uri + " (data kept in " + data + ")\n");
    assertThat(RedisServerProcess.ping(port)).isFalse();
    assertThat(data.resolve("redis.log")).exists();

    Result again = RegistryCliTest.run("redis", "stop", "--repo", repo);
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEqualTo("The embedded Redis of project 'rides' is not running.\n");
  }

  @Test
  void saysSoWhenTheRepoConfiguresItsOwnRedis() throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir);
    Path config = repo.resolve("featurestore.yaml");
    Files.writeString(
        config,
        Files.readString(config) + "online:\n  redis: redis://user:secret@redis.example:6379\n");

    Result status = RegistryCliTest.run("redis", "status", "--repo", repo.toString());
    assertThat(status.exitCode()).isZero();
    assertThat(status.out())
        .isEqualTo(
            "Project 'rides' uses the Redis configured in featurestore.yaml (online.redis:"
                + " redis://user:***@redis.example:6379); no embedded Redis is used.\n");
    Result start = RegistryCliTest.run("redis", "start", "--repo", repo.toString());
    assertThat(start.out())
        .startsWith("Nothing to start: featurestore.yaml configures online.redis");
    assertThat(dir.resolve(".featurestore/redis")).doesNotExist();
  }

  @Test
  void helpListsTheSubcommands() {
    Result help = RegistryCliTest.run("redis", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("status", "start", "stop", ".featurestore/redis/");
  }

  @Test
  void ensurePrintsTheEmbeddedRedisUriStartingItOnce() {
    String repo = TestRepos.copyOfExample("rides", dir).toString();

    Result first = RegistryCliTest.run("redis", "ensure", "--repo", repo);
    String uri = EmbeddedRedis.running(dir.resolve(".featurestore")).orElseThrow();
    assertThat(first).isEqualTo(new Result(0, uri + "\n", ""));
    assertThat(RegistryCliTest.run("redis", "ensure", "--repo", repo))
        .isEqualTo(new Result(0, uri + "\n", ""));
  }

  @Test
  void ensurePrintsNothingWhenTheRepoConfiguresItsOwnRedis() throws Exception {
    Path repo = TestRepos.copyOfExample("rides", dir);
    Path config = repo.resolve("featurestore.yaml");
    Files.writeString(
        config, Files.readString(config) + "online:\n  redis: redis://redis.example:6379\n");

    assertThat(RegistryCliTest.run("redis", "ensure", "--repo", repo.toString()))
        .isEqualTo(new Result(0, "", ""));
    assertThat(dir.resolve(".featurestore/redis")).doesNotExist();
  }

  @Test
  void openingARepoStartsNoRedis() {
    String repo = TestRepos.copyOfExample("rides", dir).toString();

    RegistryCliTest.run("registry", "list", "--repo", repo);
    RegistryCliTest.run("plan", "--repo", repo);
    assertThat(RegistryCliTest.run("redis", "status", "--repo", repo).out())
        .contains("not running");
    assertThat(dir.resolve(".featurestore/redis")).doesNotExist();
  }

  @Test
  void ensureIsNotListedInTheHelp() {
    assertThat(RegistryCliTest.run("redis", "--help").out()).doesNotContain("ensure");
  }
}
