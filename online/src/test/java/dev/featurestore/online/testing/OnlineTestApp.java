/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.testing;

import dev.featurestore.online.OnlineApplication;
import dev.featurestore.registry.repo.FeatureRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** The real Spring Boot app on a random port, serving a given repo. */
public final class OnlineTestApp implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final int port;

  private OnlineTestApp(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /** Starts the app for a repo folder, as {@code featurestore serve --repo DIR} does. */
  public static OnlineTestApp start(Path repo, Map<String, String> properties) {
    return start(repo, null, properties);
  }

  /** Starts the app serving a given (e.g. in-memory) repo, with extra properties. */
  public static OnlineTestApp start(FeatureRepo repo, Map<String, String> properties) {
    return start(repo.root(), repo, properties);
  }

  private static OnlineTestApp start(Path root, FeatureRepo repo, Map<String, String> properties) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    if (!properties.containsKey("featurestore.grpc-port")) {
      args.add("--featurestore.grpc-port=0"); // a free port, never Feast's default 6567
    }
    args.add("--featurestore.repo=" + root);
    args.add("--featurestore.registry-poll-interval=100ms");
    properties.forEach((k, v) -> args.add("--" + k + "=" + v));
    SpringApplicationBuilder builder = new SpringApplicationBuilder(OnlineApplication.class);
    if (repo != null) {
      builder.initializers(c -> c.getBeanFactory().registerSingleton("featureRepo", repo));
    }
    ConfigurableApplicationContext context = builder.run(args.toArray(new String[0]));
    return new OnlineTestApp(context);
  }

  public int port() {
    return port;
  }

  public WebTestClient client() {
    // A new connection per request: a server that rejects an oversized body closes its connection.
    return WebTestClient.bindToServer(
            new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
        .baseUrl("http://127.0.0.1:" + port)
        .responseTimeout(Duration.ofSeconds(10))
        .build();
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    context.close();
  }
}
