/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
/**
 * The one writer of online values to Redis, shared by the materializer (on Spark executors) and the
 * online service's push endpoints: {@link dev.featurestore.onlinestore.writer.ViewWriter} (keys,
 * encoding, expiry of one view), {@link dev.featurestore.onlinestore.writer.NewerWinsWriter} (the
 * pipelined newer-wins script calls), {@link dev.featurestore.onlinestore.writer.NewerWinsScript}
 * (the Lua script) and {@link dev.featurestore.onlinestore.writer.RedisConnections} (one connection
 * per JVM and Redis). Plain Java and Lettuce, no Spark or Spring.
 */
package dev.featurestore.onlinestore.writer;
