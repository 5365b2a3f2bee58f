#!/bin/sh
# One night of bench from cron (see ./crontab): a run tagged TAG into OUT, then `bench regress`
# against the newest earlier run of the tag, its Markdown printed and kept in OUT/regress.md.
#
# Environment:
#   BENCH_ARGS    providers, suites and flags of `bench run`, e.g. "kimi deepseek --suite nightly.jsonl --canary"
#   BENCH_CONFIG  bench.toml [./bench.toml]
#   OUT           the output folder that keeps every night [results]
#   TAG           the series [nightly]
#   BENCH         the bench binary [bench]
#   provider keys as environment variables (never files)
#
# Exit code: bench's: 0 passed, 1 a regression, 2 the run could not finish (resume it with
# `bench run --resume latest --out OUT`), 3 storage.
set -eu
: "${BENCH_ARGS:?providers, suites and flags for bench run}"
bench=${BENCH:-bench}
out=${OUT:-results}
tag=${TAG:-nightly}
set --
if [ -n "${BENCH_CONFIG:-}" ]; then set -- --config "$BENCH_CONFIG"; fi

# shellcheck disable=SC2086 # BENCH_ARGS is a list of arguments
"$bench" run $BENCH_ARGS --tag "$tag" --out "$out" "$@"
status=0
"$bench" regress --against "latest:$tag" --out "$out" --format markdown "$@" >"$out/regress.md" || status=$?
cat "$out/regress.md"
exit "$status"
