/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.postgresql;

import dev.featurestore.registry.store.Registries;
import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.testing.PostgresFixture;
import dev.featurestore.registry.testing.RegistryContract;
import java.net.URI;

/** The registry contract on a real PostgreSQL (a schema of its own per test). */
class PostgresRegistryContractIT extends RegistryContract {
  @Override
  protected String newLocation() {
    return PostgresFixture.shared().location(PostgresFixture.uniqueSchema());
  }

  @Override
  protected Registry open(String location) {
    return Registries.open(RegistryLocation.of(URI.create(location)));
  }

  @Override
  protected void crashBeforeCommit(Registry registry) {
    ((PostgresRegistry) registry).beforeCommit = ApplyMain::crash;
  }
}
