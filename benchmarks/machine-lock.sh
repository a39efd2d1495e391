# Sourced by every benchmark script: benchmarks run alone on the machine. Each takes this exclusive
# lock first (flock), so two benchmarks never overlap; a second one waits for the first. Tests and
# builds do not take it: do not run them during a benchmark. The load average is printed (and a
# warning given above 1.0) so a result measured on a busy machine is visible in the log.
# FEATURESTORE_MACHINE_LOCK names another lock file (e.g. one shared by several checkouts).
FEATURESTORE_MACHINE_LOCK="${FEATURESTORE_MACHINE_LOCK:-/tmp/featurestore-machine.lock}"
exec 9>"$FEATURESTORE_MACHINE_LOCK"
if ! flock -n 9; then
  echo "== another benchmark holds $FEATURESTORE_MACHINE_LOCK; waiting for it" >&2
  flock 9
fi
read -r BENCH_LOAD_1 _ < /proc/loadavg
echo "== benchmark lock held ($FEATURESTORE_MACHINE_LOCK); load average $BENCH_LOAD_1" >&2
if awk -v l="$BENCH_LOAD_1" 'BEGIN { exit !(l > 1.0) }'; then
  echo "== warning: load average $BENCH_LOAD_1 > 1.0: something else is running; results may be off" >&2
fi
