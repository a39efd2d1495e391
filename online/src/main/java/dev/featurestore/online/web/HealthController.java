/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.snapshot.RegistryHealthIndicator;
import dev.featurestore.online.store.RedisHealthIndicator;
import dev.featurestore.registry.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET /health}, the probe of Feast's feature server (Feast's operator and load balancers
 * call it): 200 with no body when a registry version is loaded and Redis answers, else 503 with a
 * problem detail naming what is down (and {@code Retry-After}). No API key is needed. It reads the
 * same two indicators as {@code /actuator/health}, which stays with its details.
 */
@RestController
class HealthController {
  /** The probe's path, Feast's. */
  static final String PATH = "/health";

  private final RegistryHealthIndicator registry;
  private final RedisHealthIndicator redis;
  private final ErrorHandler errors;

  HealthController(
      RegistryHealthIndicator registry, RedisHealthIndicator redis, ErrorHandler errors) {
    this.registry = registry;
    this.redis = redis;
    this.errors = errors;
  }

  @GetMapping(PATH)
  Mono<ResponseEntity<Object>> health(ServerWebExchange exchange) {
    String path = exchange.getRequest().getPath().value();
    return Mono.zip(registry.health(), redis.health())
        .map(
            both -> {
              List<String> down = new ArrayList<>();
              addIfDown("registry", both.getT1(), down);
              addIfDown("redis", both.getT2(), down);
              if (down.isEmpty()) {
                return ResponseEntity.ok().build();
              }
              HttpStatus status = HttpStatus.SERVICE_UNAVAILABLE;
              return ResponseEntity.status(status)
                  .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                  .body(
                      errors.problem(
                          status,
                          ErrorCode.UNAVAILABLE.name(),
                          "Cannot serve online features: " + String.join("; ", down),
                          path));
            });
  }

  private static void addIfDown(String name, Health health, List<String> down) {
    if (!Status.UP.equals(health.getStatus())) {
      down.add(name + " is " + health.getStatus() + " (" + health.getDetails().get("error") + ")");
    }
  }
}
