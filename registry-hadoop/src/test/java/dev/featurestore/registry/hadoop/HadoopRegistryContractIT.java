/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import dev.featurestore.registry.hadoop.testing.MiniHdfs;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.testing.RegistryContract;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;

/**
 * The registry contract on a real HDFS. The child JVMs of the process tests open the same {@code
 * hdfs://} URI with a plain configuration, as any client would.
 */
class HadoopRegistryContractIT extends RegistryContract {
  @Override
  protected String newLocation() {
    return MiniHdfs.freshUri().toString();
  }

  @Override
  protected Registry open(String location) {
    return HadoopRegistry.open(URI.create(location), new Configuration());
  }

  @Override
  protected void crashBeforeCommit(Registry registry) {
    ((HadoopRegistry) registry).beforeCommit = ApplyMain::crash;
  }
}
