/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import dev.featurestore.materializer.cli.MaterializerCli;

/**
 * The {@code spark-submit} entry point; takes the same arguments as the command line:
 *
 * <pre>
 * spark-submit --class dev.featurestore.materializer.MaterializeJob --master yarn \
 *   --jars $(echo materializer/target/lib/*.jar | tr ' ' ,) materializer/target/materializer-*.jar \
 *   materialize-incremental --repo /path/to/repo --end now
 * </pre>
 *
 * The master set by spark-submit wins over the repo's {@code spark_master}.
 */
public final class MaterializeJob {
  private MaterializeJob() {}

  public static void main(String[] args) {
    System.exit(MaterializerCli.run(args, System.out, System.err));
  }
}
