#!/usr/bin/env bash
# Tile materialization benchmark: events/s from Parquet into tiles in Redis, and Redis memory per
# entity, for the issue's aggregated view. Usage: benchmarks/aggregations-materialize.sh [EVENTS...]
# (default 10000000). Writes benchmarks/results/aggregations-materialize.md. Needs redis-server,
# redis-cli and redis-benchmark on the PATH (apt-get install redis-server); uses a free port.
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl materializer -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
FLAGS=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
CP="materializer/target/classes:materializer/target/test-classes:$(cat materializer/target/bench.classpath)"
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 exec java -Xmx6g $FLAGS ${BENCH_JAVA_OPTS:-} -Duser.timezone=UTC -cp "$CP" \
  dev.featurestore.materializer.TileMaterializationBenchmark "$@"
