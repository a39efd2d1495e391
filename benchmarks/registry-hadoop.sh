#!/usr/bin/env bash
# plan/apply timings with N feature views on an HDFS registry vs a local folder registry.
# Usage: benchmarks/registry-hadoop.sh [--views 200] [--reps 5] [--registry hdfs://nn:8020/path]
# Without --registry it starts an in-process HDFS (MiniDFSCluster). Writes
# benchmarks/results/registry-hadoop.md (--output FILE for elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl registry-hadoop -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx${BENCH_HEAP:-2g} -Duser.timezone=UTC \
  -cp "registry-hadoop/target/test-classes:registry-hadoop/target/classes:$(cat registry-hadoop/target/bench.classpath)" \
  dev.featurestore.registry.hadoop.HadoopRegistryBenchmark "$@"
