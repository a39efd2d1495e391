/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.util.Map;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feast's push endpoints: {@code POST /push} and {@code POST /write-to-online-store}. The body is
 * read as JSON whatever its {@code Content-Type} (as the lookup route does; Feast's documented
 * {@code curl -d} examples send a form content type), with {@code NaN} and {@code Infinity} allowed
 * as numbers (Python's {@code json.dumps} writes them). The writes block (Redis answers, file I/O),
 * so they run on Reactor's bounded elastic threads, never on an event loop. The API key filter and
 * {@code http.server.requests} apply as to every WebFlux endpoint.
 */
@RestController
class PushController {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final PushService service;
  private final int maxRequestBytes;

  PushController(PushService service, PushProperties properties) {
    this.service = service;
    this.maxRequestBytes = (int) Math.min(Integer.MAX_VALUE, properties.maxRequestSize().toBytes());
  }

  @PostMapping(path = "/push", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> push(ServerHttpRequest request) {
    return handle(request, "Cannot push", service::push);
  }

  @PostMapping(path = "/write-to-online-store", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> writeToOnlineStore(ServerHttpRequest request) {
    return handle(request, "Cannot write to the online store", service::writeToOnlineStore);
  }

  private Mono<Map<String, Object>> handle(
      ServerHttpRequest request, String action, Function<JsonNode, Map<String, Object>> write) {
    return DataBufferUtils.join(request.getBody(), maxRequestBytes)
        .onErrorMap(
            DataBufferLimitException.class,
            e ->
                FeatureStoreException.of(
                    ErrorCode.LIMIT_EXCEEDED,
                    "%s: the body is larger than %d bytes (featurestore.push.max-request-size);"
                        + " split the push",
                    action,
                    maxRequestBytes))
        .map(PushController::bytes)
        .switchIfEmpty(Mono.error(() -> notJson(action, "the body is empty")))
        .publishOn(Schedulers.boundedElastic())
        .map(bytes -> write.apply(parse(action, bytes)));
  }

  private static byte[] bytes(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }

  private static JsonNode parse(String action, byte[] body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JacksonException e) {
      throw notJson(action, "the body is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (node == null || !node.isObject()) {
      throw notJson(action, "the body must be a JSON object");
    }
    return node;
  }

  private static FeatureStoreException notJson(String action, String reason) {
    return new FeatureStoreException(ErrorCode.INVALID_ARGUMENT, action + ": " + reason);
  }
}
