/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online;

import org.junit.jupiter.api.BeforeAll;

/** {@link RegistryReload} on the local folder registry. */
class RegistryReloadIT extends RegistryReload {
  @BeforeAll
  static void startOnALocalFolder() {
    start("");
  }
}
