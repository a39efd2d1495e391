#!/usr/bin/env bash
# Registry benchmark: plan and apply of a repo with N feature views on each backend (a local
# folder, PostgreSQL, HDFS). Usage: benchmarks/registry.sh [VIEWS (200)] [REPETITIONS (20)]
# Writes benchmarks/results/registry.md. PostgreSQL is a private server started with the machine's
# initdb/pg_ctl (or FEATURESTORE_TEST_POSTGRES_URL); never the shared instance on port 5432. HDFS
# is an in-process MiniDFSCluster, or the hdfs:// URI in FEATURESTORE_BENCH_HDFS_URI.
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
views=${1:-200}
reps=${2:-20}
results=${3:-benchmarks/results/registry.md}
./mvnw -o -B -q -pl registry-postgresql,registry-hadoop -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
java -Xmx${BENCH_HEAP:-2g} ${BENCH_JAVA_OPTS:-} \
  -cp "registry-postgresql/target/test-classes:registry-postgresql/target/classes:$(cat registry-postgresql/target/bench.classpath)" \
  dev.featurestore.registry.postgresql.bench.RegistryBenchmark "$views" "$reps" "$results"
exec java -Xmx${BENCH_HEAP:-2g} ${BENCH_JAVA_OPTS:-} \
  -cp "registry-hadoop/target/test-classes:registry-hadoop/target/classes:$(cat registry-hadoop/target/bench.classpath)" \
  dev.featurestore.registry.hadoop.HadoopRegistryBenchmark "$views" "$reps" "$results" \
  "${FEATURESTORE_BENCH_HDFS_URI:--}"
