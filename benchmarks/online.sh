#!/usr/bin/env bash
# The online serving benchmark: builds the service jar and runs OnlineBenchmark from the project root.
# Writes benchmarks/results/online.md. Takes about 3-4 minutes. Needs redis-benchmark on the PATH
# (Debian: apt-get install redis-tools); uses /usr/bin/redis-server when present, else the embedded one.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl online -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# BENCH_OPTS: e.g. "-Dbench.batches=1 -Dbench.fixed-seconds=10" for a shorter run.
# shellcheck disable=SC2086
exec java -Xmx1g ${BENCH_OPTS:-} -cp "online/target/test-classes:online/target/classes:$(cat online/target/bench-classpath.txt)" \
  dev.featurestore.online.benchmark.OnlineBenchmark "$@"
