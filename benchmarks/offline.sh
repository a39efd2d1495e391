#!/usr/bin/env bash
# Offline point-in-time join benchmark: this project vs naive Spark vs DuckDB ASOF JOIN.
# Usage: benchmarks/offline.sh [--cases sparse,dense,shape] [--sizes 1000000,3000000,10000000]
#          [--dense 1000000] [--shape-sizes 1000000,4000000] [--shape-source-rows 4000000]
#          [--only all|ours|profile] [--reps 2] [--work DIR] [--out FILE]
# Writes benchmarks/results/offline.md; generated data goes to benchmarks/work/ (git-ignored).
# The shape case (issue 15) also runs bin/featurestore, so the cli module is packaged first.
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl offline -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cases=sparse,dense,shape previous=""
for arg in "$@"; do
  [ "$previous" = --cases ] && cases="$arg"
  previous="$arg"
done
if [[ ",$cases," == *,shape,* ]]; then
  ./mvnw -o -B -q -pl cli -am package -DskipTests
fi
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java -Xmx${BENCH_HEAP:-8g} $flags -Duser.timezone=UTC \
  -Dlog4j2.level=WARN \
  -cp "offline/target/test-classes:offline/target/classes:$(cat offline/target/bench.classpath)" \
  dev.featurestore.offline.bench.OfflineBenchmark "$@"
