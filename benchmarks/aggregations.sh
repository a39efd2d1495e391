#!/usr/bin/env bash
# Offline windowed-aggregation benchmark: this project vs the naive Spark plan vs DuckDB SQL.
# Usage: benchmarks/aggregations.sh [EVENTS ...] [--entities N] [--reps N] [--work DIR] [--out FILE]
#   EVENTS: event counts, one case each (default 1000000 3000000 10000000); each case has
#   EVENTS/100 entities (or N with --entities: denser windows) and EVENTS/10 entity rows over 30
#   days (10M: 100k entities, 1M rows).
# Writes benchmarks/results/aggregations-offline.md; generated data goes to benchmarks/work/ (git-ignored).
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl offline -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java -Xmx${BENCH_HEAP:-8g} $flags -Duser.timezone=UTC \
  -Dlog4j2.level=WARN \
  -cp "offline/target/test-classes:offline/target/classes:$(cat offline/target/bench.classpath)" \
  dev.featurestore.offline.bench.AggregationBenchmark "$@"
