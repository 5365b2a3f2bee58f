#!/usr/bin/env bash
# Decode speed of bench's embedded engine against llama.cpp on the same .gguf on this machine.
#
# llama.cpp runs as llama-cpp-python's OpenAI-compatible server (built from PyPI into .bench-venv on
# first use; needs a C/C++ compiler; takes a few minutes). Each engine answers the same decode-heavy
# prompts alone, one request at a time, greedy; decode tokens/s = (output tokens - 1) / (latency - TTFT)
# as bench records them for every answer. Not part of CI.
#
#   scripts/bench-local-vs-llamacpp.sh [N_PROMPTS] [MAX_TOKENS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-6}"
max_tokens="${2:-200}"
port=18090
threads="$(nproc)"

cargo build --release --locked
scripts/fetch-model.sh >/dev/null
model="${BENCH_LOCAL_MODEL:-${BENCH_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bench/models}/SmolLM2-135M-Instruct.Q4_1.gguf}"

venv=.bench-venv
if ! "$venv/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
  python3 -m venv "$venv"
  CMAKE_ARGS="-DGGML_NATIVE=ON" "$venv/bin/pip" install --quiet cmake 'llama-cpp-python[server]==0.3.36'
fi

work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$venv/bin/python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" \
  --n_threads "$threads" --n_ctx 2048 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1 && break
  sleep 0.5
done

cat >"$work/bench.toml" <<TOML
[providers.llamacpp]
preset = "llamacpp"
base_url = "http://127.0.0.1:$port/v1"
max_concurrency = 1
temperature = 0.0
TOML
topics=(lighthouse river library garden volcano harbour bakery observatory glacier market)
for i in $(seq 1 "$n"); do
  topic="${topics[$(( (i - 1) % ${#topics[@]} ))]}"
  printf '{"id": "d%s", "prompt": "Write a long, detailed story about a %s. Do not stop early.", "expected": ".", "match": "regex", "max_tokens": %s}\n' "$i" "$topic" "$max_tokens"
done >"$work/decode.jsonl"

bin="$PWD/target/release/bench"
for provider in llamacpp smollm2-q4 smollm2; do
  (cd "$work" && "$bin" compare "$provider" --suite decode.jsonl --no-cache --temperature 0 --out out >/dev/null 2>"$work/$provider.err") \
    || { cat "$work/$provider.err" >&2; exit 1; }
done

python3 - "$work/out/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rate = {}
for provider, tokens, seconds, n in db.execute(
    "SELECT provider, SUM(output_tokens - 1), SUM(latency_ms - ttft_ms) / 1000.0, COUNT(*) FROM results "
    "WHERE ok = 1 AND ttft_ms IS NOT NULL GROUP BY provider"):
    rate[provider] = tokens / seconds
    print(f"{provider:>11}: {rate[provider]:7.1f} decode tokens/s over {n} answers")
base = rate["llamacpp"]
print(f"smollm2-q4 (Q4_1 as shipped) / llama.cpp: {rate['smollm2-q4'] / base:.2f}x")
print(f"smollm2    (Q8_0 requantized) / llama.cpp: {rate['smollm2'] / base:.2f}x   (goal >= 0.8x)")
PY
