#!/usr/bin/env bash
# The push benchmark: builds the service jar and runs PushBenchmark from the project root.
# Writes benchmarks/results/push.md. Takes about 3 minutes. Uses /usr/bin/redis-server when present,
# else the embedded one. Run it alone on the machine (see benchmarks/README.md).
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl online -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# BENCH_OPTS: e.g. "-Dbench.warm-up-seconds=2 -Dbench.fixed-seconds=2 -Dbench.batch-seconds=2" for a smoke run.
# shellcheck disable=SC2086
exec java -Xmx1g ${BENCH_OPTS:-} -cp "online/target/test-classes:online/target/classes:$(cat online/target/bench-classpath.txt)" \
  dev.featurestore.online.benchmark.PushBenchmark "$@"
