/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.hadoop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * One real in-process HDFS per test JVM (a NameNode and a DataNode on loopback, data in a temporary
 * folder under {@code target/}), started by the first test that needs it; it lives as long as the
 * JVM. In this module's test-jar, for the other modules' tests of commands on an HDFS registry
 * (they add {@code hadoop-client-minicluster} in test scope).
 */
public final class MiniHdfs {
  private static MiniDFSCluster cluster;

  private MiniHdfs() {}

  private static synchronized MiniDFSCluster cluster() {
    if (cluster == null) {
      try {
        // Under target/ (mvn clean removes it); the JVM's exit ends the cluster's threads.
        Path base =
            Files.createDirectories(Path.of("target", "minihdfs", UUID.randomUUID().toString()));
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        MiniDFSCluster started = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        started.waitActive();
        cluster = started;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the test HDFS: " + e, e);
      }
    }
    return cluster;
  }

  /** The cluster's client configuration. */
  public static Configuration configuration() {
    return cluster().getConfiguration(0);
  }

  /** A folder of the cluster: {@code hdfs://127.0.0.1:<port>/featurestore/<name>}. */
  public static URI uri(String name) {
    return URI.create("hdfs://127.0.0.1:" + cluster().getNameNodePort() + "/featurestore/" + name);
  }

  /** A fresh folder of the cluster. */
  public static URI freshUri() {
    return uri(UUID.randomUUID().toString());
  }
}
