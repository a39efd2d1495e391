#!/usr/bin/env bash
# Registry benchmark: plan and apply of a repo with N feature views on each backend (a local
# folder, PostgreSQL). Usage: benchmarks/registry.sh [VIEWS (200)] [REPETITIONS (20)]
# Writes benchmarks/results/registry.md. PostgreSQL is a private server started with the machine's
# initdb/pg_ctl (or FEATURESTORE_TEST_POSTGRES_URL); never the shared instance on port 5432.
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
cd "$(dirname "$0")/.."
./mvnw -o -B -q -pl registry-postgresql -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx${BENCH_HEAP:-2g} ${BENCH_JAVA_OPTS:-} \
  -cp "registry-postgresql/target/test-classes:registry-postgresql/target/classes:$(cat registry-postgresql/target/bench.classpath)" \
  dev.featurestore.registry.postgresql.bench.RegistryBenchmark "$@"
