/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.web;

import dev.featurestore.online.lookup.GetOnlineFeaturesRequest;
import dev.featurestore.online.lookup.GetOnlineFeaturesResponse;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI description ({@code /v3/api-docs}) of {@link FeatureRoute}'s endpoint, which
 * springdoc cannot find by itself as no WebFlux handler serves it: its request and response schemas
 * are read from the request and response records, as springdoc reads an annotated controller's.
 */
@Component
class FeatureRouteApi implements OpenApiCustomizer {
  private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
  private static final String PROBLEM_JSON =
      org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

  @Override
  public void customise(OpenAPI api) {
    ModelConverters converters = ModelConverters.getInstance(true);
    converters.readAll(GetOnlineFeaturesRequest.class).forEach(api::schema);
    converters.readAll(GetOnlineFeaturesResponse.class).forEach(api::schema);
    Operation lookup =
        new Operation()
            .operationId("getOnlineFeatures")
            .tags(List.of("features"))
            .summary("Feature values of entities, as Feast's feature server answers")
            .requestBody(
                new RequestBody()
                    .required(true)
                    .content(content(JSON, GetOnlineFeaturesRequest.class.getSimpleName())))
            .responses(
                new ApiResponses()
                    .addApiResponse(
                        "200",
                        new ApiResponse()
                            .description("OK")
                            .content(
                                content(JSON, GetOnlineFeaturesResponse.class.getSimpleName())))
                    .addApiResponse("400", problem("Bad request: the detail says what to fix"))
                    .addApiResponse(
                        "401",
                        problem("Missing or wrong API key (X-API-Key or Authorization: Bearer)"))
                    .addApiResponse("413", problem("Body or entity rows over the limit"))
                    .addApiResponse(
                        "503",
                        problem("Redis or the registry is not available (with Retry-After)")));
    api.path(FeatureRoute.PATH, new PathItem().post(lookup));
  }

  private static Content content(String type, String schema) {
    return new Content()
        .addMediaType(
            type, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + schema)));
  }

  private static ApiResponse problem(String description) {
    return new ApiResponse()
        .description(description)
        .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()));
  }
}
