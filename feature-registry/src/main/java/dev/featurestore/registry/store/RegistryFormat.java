/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;

/**
 * The registry format version: every backend records the format it wrote, and refuses to read or
 * write a registry whose format is newer than {@link #CURRENT}, so an old build never misreads or
 * corrupts what a newer one wrote.
 */
public final class RegistryFormat {
  /**
   * The format this build reads and writes. 1: versions, schemas by fingerprint, watermarks, audit
   * entries with the versions.
   */
  public static final int CURRENT = 1;

  private RegistryFormat() {}

  /**
   * Checks a format version read from a registry.
   *
   * @param location the registry (or the file of it) that recorded the format, for the message
   * @param found the format version it recorded
   * @throws FeatureStoreException INVALID_ARGUMENT saying which version is needed when {@code
   *     found} is newer than {@link #CURRENT}
   */
  public static void check(String location, int found) {
    if (found > CURRENT) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot use registry %s: it was written in registry format %d, and this featurestore"
              + " reads format %d at most; upgrade featurestore to a release that supports format"
              + " %d",
          location,
          found,
          CURRENT,
          found);
    }
  }
}
