/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import dev.featurestore.online.lookup.OnlineFeatureService;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Feast-compatible online feature lookups. */
@RestController
class FeatureController {
  private final OnlineFeatureService service;

  FeatureController(OnlineFeatureService service) {
    this.service = service;
  }

  @PostMapping(path = "/get-online-features", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<GetOnlineFeaturesResponse> getOnlineFeatures(
      @RequestBody Mono<GetOnlineFeaturesRequest> request) {
    return request.flatMap(body -> Mono.fromFuture(() -> service.lookup(body)));
  }
}
