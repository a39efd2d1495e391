#!/usr/bin/env bash
# Redis memory per entity: materializes N entities (default 1,000,000) of two feature views into a
# private redis-server and reads INFO memory after each. Needs redis-server and redis-cli on the PATH
# (Debian: apt-get install redis-server) and the modules built (./mvnw -B -q -DskipTests package).
# Writes benchmarks/results/redis-memory.md.   Usage: benchmarks/redis-memory.sh [N]
set -euo pipefail
# shellcheck source=machine-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/machine-lock.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-1000000}"
PORT="${REDIS_PORT:-6399}"
WORK="$ROOT/benchmarks/work/redis-memory"
RESULT="$ROOT/benchmarks/results/redis-memory.md"
FLAGS="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml" | head -1)"
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
EVENT="$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)"

rm -rf "$WORK" && mkdir -p "$WORK/features" "$(dirname "$RESULT")"
cat >"$WORK/featurestore.yaml" <<YAML
project: memory
online:
  redis: redis://127.0.0.1:$PORT
YAML
cat >"$WORK/features/views.yaml" <<'YAML'
entities:
  - name: driver
    join_keys: {driver_id: int64}
sources:
  - {name: hourly_src, parquet: data/hourly, timestamp_field: event_timestamp}
  - {name: daily_src, parquet: data/daily, timestamp_field: event_timestamp}
feature_views:
  - name: hourly
    entities: [driver]
    source: hourly_src
    ttl: 30d
    features:
      - {name: conv_rate, type: float64}
      - {name: acc_rate, type: float32}
      - {name: avg_daily_trips, type: int64}
  - name: daily
    entities: [driver]
    source: daily_src
    ttl: 30d
    features:
      - {name: trips_last_7d, type: int64}
      - {name: rating, type: float64}
      - {name: embedding, type: array<float32>}
YAML

echo "Writing $N entities per view ..."
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 java $FLAGS -Dlog4j2.configurationFile="$ROOT/bin/log4j2.properties" -cp "$ROOT/offline/target/lib/*" \
  "$ROOT/benchmarks/RedisMemoryData.java" "$WORK/data" "$N" "$EVENT"

redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --logfile "$WORK/redis.log" &
REDIS_PID=$!
trap 'kill $REDIS_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
memory() { redis-cli -p "$PORT" info memory | tr -d '\r' | sed -n "s/^$1://p"; }

"$ROOT/bin/featurestore" apply --repo "$WORK" >/dev/null
base=$(memory used_memory)
rows=()
for view in hourly daily; do
  start=$SECONDS
  "$ROOT/bin/featurestore" materialize --repo "$WORK" --views "$view" --start 2000-01-01T00:00:00Z --end "$NOW"
  seconds=$((SECONDS - start))
  used=$(memory used_memory)
  keys=$(redis-cli -p "$PORT" dbsize)
  # A key of the view just written (keys are binary: read them inside Redis).
  read -r value_bytes key_usage < <(redis-cli -p "$PORT" eval \
    "local k = redis.call('randomkey'); return {redis.call('strlen', k), redis.call('memory', 'usage', k)}" 0 | paste -sd' ')
  delta=$((used - base))
  rows+=("| $view | $N | $((delta / N)) | $(awk "BEGIN {printf \"%.0f\", $delta * 1000000 / $N / 1048576}") | $value_bytes | $key_usage | $keys | ${seconds}s |")
  base=$used
done
{
  echo "# Redis memory per entity"
  echo
  echo "\`benchmarks/redis-memory.sh $N\` on $(date -u +%Y-%m-%d), $(redis-server --version | cut -d' ' -f3), $(nproc) cores."
  echo "One key per (entity, view) with a PEXPIREAT (ttl 30d); int64 entity key (15-byte Redis key)."
  echo "Memory is the growth of INFO memory \`used_memory\` after materializing the view."
  echo
  echo "| view | entities | bytes/entity | MiB per 1M entities | value bytes (STRLEN) | MEMORY USAGE of one key | keys in Redis after | materialize wall time |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "used_memory_human at the end: $(memory used_memory_human); used_memory_rss_human: $(memory used_memory_rss_human); mem_allocator: $(memory mem_allocator)."
} >"$RESULT"
cat "$RESULT"
