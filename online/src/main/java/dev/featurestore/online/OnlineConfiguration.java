/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import dev.featurestore.online.auth.ApiKeyCheck;
import dev.featurestore.online.config.OnlineProperties;
import dev.featurestore.online.lookup.OnlineFeatureService;
import dev.featurestore.online.snapshot.RegistryHealthIndicator;
import dev.featurestore.online.snapshot.RegistryWatcher;
import dev.featurestore.online.store.LettuceOnlineStoreReader;
import dev.featurestore.online.store.OnlineStoreReader;
import dev.featurestore.online.store.RedisHealthIndicator;
import dev.featurestore.online.web.ApiKeyFilter;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.config.RedisConfig;
import dev.featurestore.registry.repo.FeatureRepo;
import io.lettuce.core.resource.Transports;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

/** Wires the repo, the registry watcher, the Redis reader and the lookup service. */
@Configuration(proxyBeanMethods = false)
class OnlineConfiguration {
  private static final Logger log = LoggerFactory.getLogger(OnlineConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  FeatureRepo featureRepo(OnlineProperties properties) {
    return FeatureRepo.open(properties.repo());
  }

  @Bean(destroyMethod = "close")
  RegistryWatcher registryWatcher(FeatureRepo repo, OnlineProperties properties) {
    return new RegistryWatcher(
        repo.config().project(), repo.registry(), properties.registryPollInterval());
  }

  @Bean(destroyMethod = "close")
  OnlineStoreReader onlineStoreReader(
      FeatureRepo repo,
      OnlineProperties properties,
      ObjectProvider<ReactorResourceFactory> reactorResources) {
    RedisConfig redis = redisOf(repo, properties);
    log.info("Reading online features from Redis at {}", redis.redactedUris());
    return new LettuceOnlineStoreReader(
        redis,
        properties.redisTimeout(),
        properties.redisConnections(),
        serverEventLoops(reactorResources.getIfAvailable()));
  }

  /** The Redis to read and push to ({@link #redisOf}). */
  @Bean
  RedisConfig onlineRedis(FeatureRepo repo, OnlineProperties properties) {
    return redisOf(repo, properties);
  }

  /**
   * The Redis to read: the one featurestore.yaml names, else {@code featurestore.redis-uri}. The
   * service starts no Redis of its own ({@code bin/featurestore serve} starts the embedded one and
   * passes its URI), so with neither it fails at start, saying how to configure one.
   */
  static RedisConfig redisOf(FeatureRepo repo, OnlineProperties properties) {
    return repo.config()
        .redis()
        .or(() -> properties.redisUriIfSet().map(RedisConfig::standalone))
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.INVALID_ARGUMENT,
                    "Cannot start the online service: featurestore.yaml of project '%s' names no"
                        + " online.redis and %s is not set; add 'online: {redis:"
                        + " redis://HOST:6379}' to featurestore.yaml, pass"
                        + " --%s=redis://HOST:6379, or start it with 'bin/featurestore serve',"
                        + " which starts the repo's embedded Redis",
                    repo.config().project(),
                    OnlineProperties.REDIS_URI,
                    OnlineProperties.REDIS_URI));
  }

  /**
   * The HTTP server's event loops, for the Redis connections to run on: a request is then read,
   * sent to Redis, and answered on one thread, with no hand-off to Lettuce's own I/O threads and
   * back (each hand-off wakes a sleeping thread, which cost more CPU than the lookup itself at a
   * moderate request rate). Empty, so Lettuce uses its own threads, when the server's transport is
   * not the one Lettuce would use.
   */
  static List<EventLoop> serverEventLoops(ReactorResourceFactory reactorResources) {
    if (reactorResources == null) {
      return List.of();
    }
    LoopResources loops = reactorResources.getLoopResources();
    EventLoopGroup group = loops.onServer(LoopResources.DEFAULT_NATIVE);
    if (!Transports.socketChannelClass().equals(loops.onChannelClass(SocketChannel.class, group))) {
      log.info(
          "Redis connections use Lettuce's own I/O threads (transport differs from the server's)");
      return List.of();
    }
    List<EventLoop> eventLoops = new ArrayList<>();
    for (EventExecutor executor : group) {
      if (executor instanceof EventLoop loop) {
        eventLoops.add(loop);
      }
    }
    return eventLoops;
  }

  /**
   * Closes the Redis connections when the context stops, after the web server (a later phase) and
   * before the shared event loops shut down ({@link ReactorResourceFactory}, phase 0).
   */
  @Bean
  SmartLifecycle onlineStoreReaderLifecycle(OnlineStoreReader store) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        running = true;
      }

      @Override
      public void stop() {
        running = false;
        store.close();
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      @Override
      public int getPhase() {
        return 1;
      }
    };
  }

  @Bean
  OnlineMetrics onlineMetrics(MeterRegistry registry) {
    return new OnlineMetrics(registry);
  }

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  OnlineFeatureService onlineFeatureService(
      RegistryWatcher registry,
      OnlineStoreReader store,
      OnlineMetrics metrics,
      Clock clock,
      OnlineProperties properties) {
    return new OnlineFeatureService(registry, store, metrics, clock, properties.maxEntities());
  }

  @Bean("registry")
  RegistryHealthIndicator registryHealthIndicator(RegistryWatcher registry) {
    return new RegistryHealthIndicator(registry);
  }

  @Bean("redis")
  RedisHealthIndicator redisHealthIndicator(OnlineStoreReader store, OnlineProperties properties) {
    return new RedisHealthIndicator(store, properties.redisTimeout());
  }

  @Bean
  ApiKeyCheck apiKeyCheck(FeatureRepo repo) {
    return new ApiKeyCheck(repo.config().apiKey());
  }

  @Bean
  ApiKeyFilter apiKeyFilter(ApiKeyCheck check, OnlineMetrics metrics, JsonMapper json) {
    return new ApiKeyFilter(check, metrics, json);
  }

  /**
   * Boot's JSON mapper builder (every {@link JsonMapperBuilderCustomizer} still applies) over a
   * faster stream factory: per-thread buffer recycling, as the event loop threads are few and
   * long-lived (the default pool handed out fresh 8-16 KB buffers to most requests), and the
   * shortest-representation double writer (Schubfach; Java 17's {@code Double.toString} was the top
   * CPU frame of a 1-entity lookup).
   */
  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  JsonMapper.Builder fastJsonMapperBuilder(List<JsonMapperBuilderCustomizer> customizers) {
    JsonFactory factory =
        JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool())
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            // Jackson's default, pinned: NaN and infinities are the strings "NaN", "Infinity" and
            // "-Infinity", as in the proto3 JSON mapping, never bare tokens that are no JSON.
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    JsonMapper.Builder builder = JsonMapper.builder(factory);
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder;
  }
}
