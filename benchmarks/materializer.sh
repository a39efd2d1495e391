#!/usr/bin/env bash
# Materializer benchmark: Parquet -> Redis keys/s next to redis-benchmark on the same server.
# Usage: benchmarks/materializer.sh [ENTITIES...]   (default: 1000000 5000000)
# Writes benchmarks/results/materializer.md. Needs redis-server, redis-cli and redis-benchmark on
# the PATH (apt-get install redis-server); never touches port 6379 (a free port is used).
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
# The test classpath (the benchmark uses RedisFixture from feature-registry's test-jar).
./mvnw -o -B -q -pl materializer -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
FLAGS=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
CP="materializer/target/classes:materializer/target/test-classes:$(cat materializer/target/bench.classpath)"
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 exec java -Xmx6g $FLAGS ${BENCH_JAVA_OPTS:-} -cp "$CP" \
  dev.featurestore.materializer.MaterializerBenchmark "$@"
