#!/usr/bin/env bash
# Data quality benchmark: the cost of statistics during materialization (materialize with and
# without them, same data, same run, alternating) and the wall time and peak memory of `stats`,
# `drift` and `verify`, on N source rows (default 1,000,000 over N/4 drivers, 7 days, 8 features of
# every kind) and on the example repo. Everything runs through bin/featurestore as a user runs it.
# Needs redis-server and redis-cli on the PATH and python3; never touches port 6379.
# Writes benchmarks/results/quality.md.   Usage: benchmarks/quality.sh [N] [REPS]
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-1000000}"
REPS="${2:-3}"
PORT="${REDIS_PORT:-6398}"
WORK="$ROOT/benchmarks/work/quality"
RESULT="$ROOT/benchmarks/results/quality.md"
FS="$ROOT/bin/featurestore"
FLAGS="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml" | head -1)"
END="$(date -u +%Y-%m-%dT%H:00:00Z)"
START="$(date -u -d "$END - 7 days" +%Y-%m-%dT%H:%M:%SZ)"
MID="$(date -u -d "$END - 84 hours" +%Y-%m-%dT%H:%M:%SZ)"

cd "$ROOT"
./mvnw -o -B -q -DskipTests -Dspotless.check.skip=true package
rm -rf "$WORK" && mkdir -p "$WORK/repo/features" "$(dirname "$RESULT")"
R="$WORK/repo"
cat >"$R/featurestore.yaml" <<YAML
project: quality
online:
  redis: redis://127.0.0.1:$PORT
YAML
# The view, first without checks (so --no-statistics turns statistics off), then with four checks.
view_yaml() {
  local c1="" c2="" c3="" c4=""
  if [ "$1" = checks ]; then
    c1=", checks: {min: 0, max: 1, max_null_fraction: 0.05}" c2=", checks: {min: 0, max: 1}"
    c3=", checks: {min: 0}" c4=", checks: {allowed: [gold, silver, bronze]}"
  fi
  cat >"$R/features/driver_stats.yaml" <<YAML
entities:
  - name: driver
    join_keys: {driver_id: int64}
sources:
  - {name: driver_stats_src, parquet: data/driver_stats, timestamp_field: event_timestamp}
feature_views:
  - name: driver_stats
    entities: [driver]
    source: driver_stats_src
    ttl: 30d
    freshness: 2h
    features:
      - {name: conv_rate, type: float64$c1}
      - {name: acc_rate, type: float32$c2}
      - {name: avg_daily_trips, type: int64$c3}
      - {name: segment, type: string$c4}
      - {name: active, type: bool}
      - {name: embedding, type: array<float32>}
YAML
}
view_yaml plain

echo "== writing $N source rows ..." >&2
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 java $FLAGS -Dlog4j2.configurationFile="$ROOT/bin/log4j2.properties" \
  -cp "$ROOT/offline/target/lib/*" "$ROOT/benchmarks/QualityData.java" "$R" "$N" "$((N / 4))" "$END"

redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --logfile "$WORK/redis.log" &
REDIS_PID=$!
trap 'kill $REDIS_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# timed NAME CMD...: runs a command, records "wall seconds, peak RSS MiB, exit code" under NAME.
declare -A WALL RSS CODE
timed() {
  local name=$1 code=0
  shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || code=$?
  # GNU time writes "Command exited with non-zero status N" first when the command fails.
  read -r wall kb < <(tail -1 "$WORK/time.txt") || true
  WALL[$name]=${wall:-?}
  RSS[$name]=$(( ${kb:-0} / 1024 ))
  CODE[$name]=$code
  echo "== $name: ${WALL[$name]} s, ${RSS[$name]} MiB, exit $code" >&2
}
view_seconds() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["views"][0]["seconds"])' "$1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$FS" apply --repo "$R" >/dev/null
# Warm-up (page cache, JIT of the first run), not reported.
"$FS" materialize --repo "$R" --start "$START" --end "$END" --no-statistics >/dev/null 2>&1
WITH=() WITHOUT=() WITH_WALL=() WITHOUT_WALL=()
for rep in $(seq 1 "$REPS"); do
  redis-cli -p "$PORT" flushall >/dev/null
  timed "materialize-no-stats-$rep" "$FS" materialize --repo "$R" --start "$START" --end "$END" --no-statistics --json
  WITHOUT+=("$(view_seconds "$WORK/materialize-no-stats-$rep.out")") WITHOUT_WALL+=("${WALL[materialize-no-stats-$rep]}")
  redis-cli -p "$PORT" flushall >/dev/null
  timed "materialize-stats-$rep" "$FS" materialize --repo "$R" --start "$START" --end "$END" --json
  WITH+=("$(view_seconds "$WORK/materialize-stats-$rep.out")") WITH_WALL+=("${WALL[materialize-stats-$rep]}")
done
view_yaml checks
"$FS" apply --repo "$R" >/dev/null
CHECKED=() CHECKED_WALL=()
for rep in $(seq 1 "$REPS"); do
  redis-cli -p "$PORT" flushall >/dev/null
  timed "materialize-checks-$rep" "$FS" materialize --repo "$R" --start "$START" --end "$END" --json
  CHECKED+=("$(view_seconds "$WORK/materialize-checks-$rep.out")") CHECKED_WALL+=("${WALL[materialize-checks-$rep]}")
done
M_CHECKED=$(median "${CHECKED[@]}") MW_CHECKED=$(median "${CHECKED_WALL[@]}")
M_WITHOUT=$(median "${WITHOUT[@]}") M_WITH=$(median "${WITH[@]}")
MW_WITHOUT=$(median "${WITHOUT_WALL[@]}") MW_WITH=$(median "${WITH_WALL[@]}")

timed stats "$FS" stats --repo "$R" --start "$START" --end "$END"
timed stats-json "$FS" stats --repo "$R" --start "$START" --end "$END" --json
timed training-set "$FS" training-set --repo "$R" --entities "$R/entities.parquet" \
  --features 'driver_stats:*' --output "$WORK/training_set"
timed drift "$FS" drift --repo "$R" --training-set "$WORK/training_set" --start "$MID" --end "$END"
timed verify "$FS" verify --repo "$R" --sample 1000
timed report "$FS" report --repo "$R" --output "$WORK/report.html"

# The example repo, as the quickstart leaves it (a copy, with its own embedded Redis).
E="$WORK/rides"
cp -r "$ROOT/examples/rides" "$E" && rm -rf "$E/.featurestore" "$E/data"
"$FS" generate-example-data --repo "$E" >/dev/null
"$FS" apply --repo "$E" >/dev/null
"$FS" materialize-incremental --repo "$E" --end now >/dev/null
"$FS" training-set --repo "$E" --entities "$E/data/ride_requests.csv" \
  --feature-service driver_ranking --output "$WORK/rides_training_set" >/dev/null
timed ex-stats "$FS" stats --repo "$E"
timed ex-drift "$FS" drift --repo "$E" --training-set "$WORK/rides_training_set"
timed ex-verify "$FS" verify --repo "$E"
timed ex-report "$FS" report --repo "$E" --output "$WORK/rides_report.html"
"$FS" redis stop --repo "$E" >/dev/null 2>&1 || true

overhead=$(awk -v a="$M_WITH" -v b="$M_WITHOUT" 'BEGIN {printf "%.1f", 100 * (a - b) / b}')
overhead_checks=$(awk -v a="$M_CHECKED" -v b="$M_WITHOUT" 'BEGIN {printf "%.1f", 100 * (a - b) / b}')
{
  echo "# Data quality benchmark"
  echo
  echo "\`benchmarks/quality.sh $N $REPS\` on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before the run $BENCH_LOAD_1,"
  echo "$(redis-server --version | cut -d' ' -f3) (private server, no persistence), $(java -version 2>&1 | head -1)."
  echo "Data: $N rows of one view over $((N / 4)) drivers across the 7 days to $END (int64 key; float64,"
  echo "float32, int64, string, bool and array<float32>(8) features; 1% null conv_rate); the checks runs add 4 checks that pass."
  echo "Every command ran through \`bin/featurestore\` (JVM and Spark start included in wall times)."
  echo
  echo "## Statistics during materialization"
  echo
  echo "Backfill of the whole range into an empty Redis, $REPS times each (the first two alternating), writing one row per driver; the view's own"
  echo "time from \`materialize --json\` (\`seconds\`: read, checks, statistics, write) and the command's wall time; medians."
  echo
  echo "| run | view seconds (each run) | median | command wall s (median) |"
  echo "|---|---|---|---|"
  echo "| \`--no-statistics\` | ${WITHOUT[*]} | $M_WITHOUT | $MW_WITHOUT |"
  echo "| with statistics (default), no checks | ${WITH[*]} | $M_WITH | $MW_WITH |"
  echo "| with statistics and the 4 checks | ${CHECKED[*]} | $M_CHECKED | $MW_CHECKED |"
  echo
  echo "**Cost of statistics: $overhead% of the view's materialization time** (target ≤ 15%); with the"
  echo "four checks evaluated as well: $overhead_checks%."
  echo
  echo "## Commands"
  echo
  echo "| command | data | wall s | peak RSS MiB | exit |"
  echo "|---|---|---|---|---|"
  for name in stats stats-json training-set drift verify report; do
    echo "| \`$name\` | $N rows | ${WALL[$name]} | ${RSS[$name]} | ${CODE[$name]} |"
  done
  for name in ex-stats ex-drift ex-verify ex-report; do
    echo "| \`${name#ex-}\` | examples/rides | ${WALL[$name]} | ${RSS[$name]} | ${CODE[$name]} |"
  done
  echo
  echo "drift: training set of $((N / 10)) entity rows from the first half, compared with the second half ($MID .. $END),"
  echo "where conv_rate is shifted by +0.1 (planted): exit 3 expected, conv_rate the only drifted feature."
  echo "verify: 1,000 sampled drivers right after the last materialization: exit 0 expected."
  echo
  echo "### drift output ($N rows)"
  echo '```'
  cat "$WORK/drift.out"
  echo '```'
  echo "### verify output ($N rows)"
  echo '```'
  cat "$WORK/verify.out"
  echo '```'
} >"$RESULT"
cat "$RESULT"
