#!/bin/sh
# The command of every pod of the Indexed Job in cronjob.yaml (mounted from the bench-scripts
# ConfigMap), and of every index run-indexed-locally.sh starts. Pod JOB_COMPLETION_INDEX = K - 1 runs
# shard K of SHARDS into DATA/shards/NIGHT/shard-K; the last shard to finish merges them all into
# DATA/nightly (the store that keeps every night) and checks the merged run against the night before.
#
# Environment:
#   JOB_COMPLETION_INDEX  set by Kubernetes for an Indexed Job: 0 .. SHARDS-1
#   SHARDS                the Job's completions (N)
#   NIGHT                 one folder per night: the Job's name (label job-name)
#   BENCH_ARGS            providers, suites and flags of `bench run`, e.g. "kimi deepseek --suite /config/nightly.jsonl --canary"
#   BENCH_CONFIG          bench.toml (optional; its [regress] thresholds apply too)
#   DATA                  the shared volume [/data]
#   TAG                   the series [nightly]
#   BENCH                 the bench binary [bench]
#   provider keys         from the Kubernetes Secret, as env vars (never files)
#
# Exit codes: bench's own. 0 done (or the merge is another shard's to do); 1 the merged run regressed;
# 2 a shard could not finish (a retried pod resumes it) or the shards do not make one run; 3 storage.
set -eu

: "${JOB_COMPLETION_INDEX:?set by Kubernetes for an Indexed Job (0 .. SHARDS-1)}"
: "${SHARDS:?the number of shards (the Job's completions)}"
: "${NIGHT:?a folder name for this night (the Job's name)}"
: "${BENCH_ARGS:?providers, suites and flags for bench run}"
bench=${BENCH:-bench}
data=${DATA:-/data}
tag=${TAG:-nightly}
night="$data/shards/$NIGHT"
k=$((JOB_COMPLETION_INDEX + 1))
shard="$night/shard-$k"
set --
if [ -n "${BENCH_CONFIG:-}" ]; then set -- --config "$BENCH_CONFIG"; fi
mkdir -p "$night"

if [ -e "$shard.done" ]; then
  echo "shard $k/$SHARDS: done earlier"
elif [ -e "$shard/bench.sqlite" ]; then
  echo "shard $k/$SHARDS: resuming what an earlier pod left"
  canary=
  case " $BENCH_ARGS " in *" --canary "*) canary=--canary ;; esac
  # shellcheck disable=SC2086 # $canary is one flag or none
  "$bench" run --resume latest --out "$shard" $canary "$@"
else
  # shellcheck disable=SC2086 # BENCH_ARGS is a list of arguments
  "$bench" run $BENCH_ARGS --tag "$tag" --shard "$k/$SHARDS" --out "$shard" "$@"
fi
touch "$shard.done"

finished=0
for marker in "$night"/shard-*.done; do
  if [ -e "$marker" ]; then finished=$((finished + 1)); fi
done
if [ "$finished" -lt "$SHARDS" ]; then
  echo "shard $k/$SHARDS finished; $finished of $SHARDS are: the last one merges"
  exit 0
fi
# Every shard is done: exactly one pod (the first to create the claim) merges.
if [ -e "$night/merged" ] || ! mkdir "$night/merge.claim" 2>/dev/null; then
  echo "shard $k/$SHARDS finished; another shard merges"
  exit 0
fi
status=0
"$bench" merge "$night"/shard-*/ --out "$data/nightly" || status=$?
if [ "$status" -ne 0 ]; then
  rmdir "$night/merge.claim"
  exit "$status"
fi
touch "$night/merged"
"$bench" regress --against "latest:$tag" --out "$data/nightly" --junit "$night/regress.xml" \
  --format markdown "$@" >"$night/regress.md" || status=$?
cat "$night/regress.md"
exit "$status"
