/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.registry.hadoop.testing.MiniHdfs;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RegistryReload} on a registry on a real (in-process) HDFS: the service serves the applied
 * version and hot-reloads a newly applied one, as from a local folder.
 */
class HdfsRegistryReloadIT extends RegistryReload {
  @BeforeAll
  static void startOnHdfs() {
    start("registry: " + MiniHdfs.freshUri() + "\n");
    assertThat(repo.registry().location()).startsWith("hdfs://127.0.0.1:");
  }
}
