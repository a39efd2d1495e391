/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the push endpoints ({@code POST /push}, {@code POST /write-to-online-store}), under
 * {@code featurestore.push.*}.
 *
 * @param maxRows the most rows one request may push ({@code featurestore.push.max-rows}, default
 *     {@value #DEFAULT_MAX_ROWS}); more are answered 413
 * @param maxRequestSize the largest request body accepted ({@code
 *     featurestore.push.max-request-size}, default 16MB); larger is answered 413
 * @param redisTimeout how long a push waits for each Redis answer before failing with 503 ({@code
 *     featurestore.push.redis-timeout}, default 2s)
 */
@Validated
@ConfigurationProperties("featurestore.push")
public record PushProperties(
    @DefaultValue("" + PushProperties.DEFAULT_MAX_ROWS) @Min(1) int maxRows,
    @DefaultValue("16MB") @NotNull DataSize maxRequestSize,
    @DefaultValue("2s") @NotNull Duration redisTimeout) {
  /** Default for {@code featurestore.push.max-rows}. */
  public static final int DEFAULT_MAX_ROWS = 10_000;
}
