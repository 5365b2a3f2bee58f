#!/usr/bin/env bash
# The main job, offline, in one command: build bench, fetch the embedded model (once), and compare two
# quantisations of SmolLM2-135M-Instruct (Q8_0 requantized at first load vs Q4_1 as shipped) on the
# bundled `quick` suite. No API key, no network after the fetch.
#
#   scripts/demo.sh                 # extra arguments go to `bench compare`, e.g. --samples 3
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked
scripts/fetch-model.sh
exec target/release/bench compare smollm2 smollm2-q4 --suite quick "$@"
