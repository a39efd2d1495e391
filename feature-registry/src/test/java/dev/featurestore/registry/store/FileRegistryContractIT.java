/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.store;

import dev.featurestore.registry.testing.RegistryContract;
import java.nio.file.Files;
import java.nio.file.Path;

/** The registry contract on a local folder (starts processes, hence an IT by name below). */
class FileRegistryContractIT extends RegistryContract {
  @Override
  protected String newLocation() throws Exception {
    return Files.createTempDirectory("featurestore-registry-").toString();
  }

  @Override
  protected Registry open(String location) {
    return FileRegistry.open(Path.of(location));
  }

  @Override
  protected void crashBeforeCommit(Registry registry) {
    ((FileRegistry) registry).beforeCommit = ApplyMain::crash;
  }
}
