#!/usr/bin/env bash
# The online serving benchmark: builds the service jar and runs OnlineBenchmark from the project root.
# Writes benchmarks/results/online.md. Takes about 7 minutes.
# `benchmarks/online.sh grpc` runs GrpcBenchmark instead: gRPC next to REST (1 entity, 2,000
# requests/s, maximum throughput, redis-benchmark), written to benchmarks/results/online-grpc.md
# (about 5 minutes).
# `benchmarks/online.sh aggregations` runs AggregationsOnlineBenchmark: 1 entity of an aggregated
# view with 168 tiles at 1,000 requests/s, maximum throughput and redis-benchmark HGETALL, written
# to benchmarks/results/aggregations-online.md (about 4 minutes).
# Needs redis-benchmark on the PATH
# (Debian: apt-get install redis-tools); uses /usr/bin/redis-server when present, else the embedded one.
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl online -am package dependency:build-classpath -DskipTests \
  -Dspotless.check.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# BENCH_OPTS: e.g. "-Dbench.batches=1 -Dbench.fixed-seconds=10" for a shorter run.
main=dev.featurestore.online.benchmark.OnlineBenchmark
if [[ "${1:-}" == grpc ]]; then
  main=dev.featurestore.online.benchmark.GrpcBenchmark
  shift
elif [[ "${1:-}" == aggregations ]]; then
  main=dev.featurestore.online.benchmark.AggregationsOnlineBenchmark
  shift
fi
# shellcheck disable=SC2086
exec java -Xmx1g ${BENCH_OPTS:-} -cp "online/target/test-classes:online/target/classes:$(cat online/target/bench-classpath.txt)" \
  "$main" "$@"
