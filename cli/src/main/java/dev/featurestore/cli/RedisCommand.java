/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.localredis.EmbeddedRedis;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.repo.FileFeatureRepo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code redis status|start|stop}: the embedded Redis that a repo with no {@code online.redis}
 * shares between commands (materialize, serve), its data under {@code .featurestore/redis/}.
 */
@Command(
    name = "redis",
    mixinStandardHelpOptions = true,
    description = {
      "The embedded Redis of a repo whose featurestore.yaml names no online.redis: one real"
          + " redis-server per repo, started by the first command that needs it and shared by"
          + " later ones; its data persists under .featurestore/redis/."
    },
    subcommands = {
      RedisCommand.StatusCommand.class,
      RedisCommand.StartCommand.class,
      RedisCommand.StopCommand.class,
      RedisCommand.EnsureCommand.class
    })
final class RedisCommand {
  private RedisCommand() {}

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show whether the embedded Redis runs, its address and its data folder.")
  static final class StatusCommand implements Callable<Integer> {
    @Mixin RepoOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FileFeatureRepo repo = options.open();
      PrintWriter out = spec.commandLine().getOut();
      Optional<RedisConfig> configured = repo.config().redis();
      if (configured.isPresent()) {
        out.printf(
            "Project '%s' uses the Redis configured in featurestore.yaml (online.redis: %s);"
                + " no embedded Redis is used.%n",
            repo.config().project(), String.join(", ", configured.get().redactedUris()));
        return 0;
      }
      Path data = EmbeddedRedis.directory(repo.stateDirectory()).toAbsolutePath();
      Optional<String> running = EmbeddedRedis.running(repo.stateDirectory());
      if (running.isPresent()) {
        out.printf(
            "Embedded Redis of project '%s': running at %s%s%n  data: %s%n"
                + "  stop it with: featurestore redis stop --repo %s%n",
            repo.config().project(), running.get(), pid(data), data, options.repo);
      } else {
        out.printf(
            "Embedded Redis of project '%s': not running (materialize and serve start it)%n"
                + "  data: %s%n",
            repo.config().project(), data);
      }
      return 0;
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start the embedded Redis now (materialize and serve start it when needed).")
  static final class StartCommand implements Callable<Integer> {
    @Mixin RepoOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FileFeatureRepo repo = options.open();
      PrintWriter out = spec.commandLine().getOut();
      if (repo.config().redis().isPresent()) {
        out.println(
            "Nothing to start: featurestore.yaml configures online.redis, so no embedded Redis is"
                + " used.");
        return 0;
      }
      String uri = EmbeddedRedisStep.ensureRunning(repo);
      Path data = EmbeddedRedis.directory(repo.stateDirectory()).toAbsolutePath();
      out.printf("Embedded Redis running at %s%s (data: %s)%n", uri, pid(data), data);
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the embedded Redis; its data stays on disk for the next start.")
  static final class StopCommand implements Callable<Integer> {
    @Mixin RepoOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FileFeatureRepo repo = options.open();
      PrintWriter out = spec.commandLine().getOut();
      Path data = EmbeddedRedis.directory(repo.stateDirectory()).toAbsolutePath();
      Optional<String> running = EmbeddedRedis.running(repo.stateDirectory());
      if (running.isPresent() && EmbeddedRedisStep.stop(repo)) {
        out.printf("Stopped the embedded Redis at %s (data kept in %s)%n", running.get(), data);
      } else {
        out.printf("The embedded Redis of project '%s' is not running.%n", repo.config().project());
      }
      return 0;
    }
  }

  /**
   * {@code redis ensure}, for {@code bin/featurestore serve}: prints the URI of the repo's embedded
   * Redis (starting it) when featurestore.yaml names no online.redis, and nothing when it names
   * one.
   */
  @Command(
      name = "ensure",
      hidden = true,
      mixinStandardHelpOptions = true,
      description =
          "Print the URI of the embedded Redis, starting it, when featurestore.yaml names no"
              + " online.redis (for bin/featurestore serve).")
  static final class EnsureCommand implements Callable<Integer> {
    @Mixin RepoOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FileFeatureRepo repo = options.open();
      if (repo.config().redis().isEmpty()) {
        spec.commandLine().getOut().println(EmbeddedRedisStep.ensureRunning(repo));
      }
      return 0;
    }
  }

  private static String pid(Path data) {
    try {
      return " (pid " + Files.readString(data.resolve("redis.pid")).trim() + ")";
    } catch (IOException e) {
      return "";
    }
  }
}
