#!/bin/sh
# Run the Kubernetes Job of k8s/cronjob.yaml on this machine: its command (k8s/shard-job.sh), once
# per index with JOB_COMPLETION_INDEX = 0 .. SHARDS-1, all at once as the Indexed Job runs them, with
# the environment the Job sets. The last index to finish merges the shards and checks the merged run
# against the night before, as in the cluster. Each index's output is printed when all are done.
#
#   SHARDS=4 BENCH_ARGS="kimi deepseek --suite nightly.jsonl --canary" MOONSHOT_API_KEY=... \
#     DEEPSEEK_API_KEY=... scripts/ci/run-indexed-locally.sh
#
# Environment: that of k8s/shard-job.sh; DATA defaults to ./bench-data, NIGHT to local-<time>,
# SHARDS to 3. Exit code: the highest of the indexes' (0 all done; 1 the merged run regressed).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SHARDS=${SHARDS:-3}
DATA=${DATA:-./bench-data}
NIGHT=${NIGHT:-local-$(date +%Y%m%d-%H%M%S)}
: "${BENCH_ARGS:?providers, suites and flags for bench run, e.g. \"kimi --suite nightly.jsonl\"}"
export SHARDS DATA NIGHT BENCH_ARGS
logs="$DATA/shards/$NIGHT/logs"
mkdir -p "$logs"

pids=
index=0
while [ "$index" -lt "$SHARDS" ]; do
  JOB_COMPLETION_INDEX=$index sh "$here/k8s/shard-job.sh" >"$logs/index-$index.log" 2>&1 &
  pids="$pids $!"
  index=$((index + 1))
done

worst=0
index=0
for pid in $pids; do
  status=0
  wait "$pid" || status=$?
  echo "== index $index (shard $((index + 1))/$SHARDS): exit $status"
  cat "$logs/index-$index.log"
  if [ "$status" -gt "$worst" ]; then worst=$status; fi
  index=$((index + 1))
done
exit "$worst"
