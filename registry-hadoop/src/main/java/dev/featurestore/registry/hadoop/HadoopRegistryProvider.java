/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop;

import dev.featurestore.registry.store.Registry;
import dev.featurestore.registry.store.RegistryLocation;
import dev.featurestore.registry.store.RegistryProvider;
import java.io.File;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Opens {@link HadoopRegistry} for the Hadoop file system schemes. Hadoop's configuration is its
 * usual one: {@code core-site.xml} and {@code hdfs-site.xml} on the class path, plus those in
 * {@code $HADOOP_CONF_DIR} when it is set (as {@code spark-submit} and the {@code hadoop} command
 * read them).
 */
public final class HadoopRegistryProvider implements RegistryProvider {
  /** The schemes this provider opens: HDFS and the object stores Hadoop has clients for. */
  static final Set<String> SCHEMES =
      Set.of("hdfs", "viewfs", "webhdfs", "swebhdfs", "s3a", "abfs", "abfss", "gs");

  @Override
  public Set<String> schemes() {
    return SCHEMES;
  }

  @Override
  public Registry open(RegistryLocation location) {
    return HadoopRegistry.open(location.uri(), configuration(System.getenv("HADOOP_CONF_DIR")));
  }

  /** Hadoop's default configuration plus the site files of a configuration folder, if given. */
  static Configuration configuration(String confDir) {
    Configuration configuration = new Configuration();
    Optional.ofNullable(confDir)
        .filter(d -> !d.isBlank())
        .ifPresent(
            dir -> {
              for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                File file = new File(dir, name);
                if (file.isFile()) {
                  configuration.addResource(new Path(file.toURI()));
                }
              }
            });
    return configuration;
  }
}
