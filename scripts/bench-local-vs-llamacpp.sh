#!/usr/bin/env bash
# Decode speed of bench's embedded engine against llama.cpp on the same .gguf on this machine.
#
# llama.cpp runs in-process through llama-cpp-python (built from PyPI into .bench-venv on first use;
# needs a C/C++ compiler; takes a few minutes), token by token with its own timing, so HTTP plays no
# part. bench's engines answer the same decode-heavy prompts through `bench compare`, alone, one request
# at a time, greedy; decode tokens/s = (output tokens - 1) / (latency - TTFT) as bench records them.
# Not part of CI.
#
#   scripts/bench-local-vs-llamacpp.sh [N_PROMPTS] [MAX_TOKENS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-6}"
max_tokens="${2:-200}"
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
trap 'rm -rf "$work"' EXIT

topics=(lighthouse river library garden volcano harbour bakery observatory glacier market)
for i in $(seq 1 "$n"); do
  topic="${topics[$(( (i - 1) % ${#topics[@]} ))]}"
  printf '{"id": "d%s", "prompt": "Write a long, detailed story about a %s. Do not stop early.", "expected": ".", "match": "regex", "max_tokens": %s}\n' "$i" "$topic" "$max_tokens"
done >"$work/decode.jsonl"

# llama.cpp: the same ChatML prompt SmolLM2's template renders, greedy, timed per token.
"$venv/bin/python" - "$model" "$work/decode.jsonl" "$threads" >"$work/llamacpp.txt" <<'PY'
import json, sys, time
from llama_cpp import Llama
model, suite, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
llm = Llama(model_path=model, n_ctx=2048, n_threads=threads, verbose=False)
eos = {llm.token_eos(), *llm.tokenize(b"<|im_end|>", add_bos=False, special=True)}
tokens = seconds = 0.0
for line in open(suite):
    task = json.loads(line)
    prompt = ("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
              f"<|im_start|>user\n{task['prompt']}<|im_end|>\n<|im_start|>assistant\n")
    ids = llm.tokenize(prompt.encode(), add_bos=False, special=True)
    llm.reset()
    n, first, last = 0, None, None
    for token in llm.generate(ids, temp=0.0, top_k=1, reset=True):
        if token in eos:
            break
        now = time.perf_counter()
        first = first or now
        last = now
        n += 1
        if n >= task["max_tokens"]:
            break
    if n > 1:
        tokens += n - 1
        seconds += last - first
print(tokens / seconds)
PY

bin="$PWD/target/release/bench"
for provider in smollm2-q4 smollm2; do
  (cd "$work" && "$bin" compare "$provider" --suite decode.jsonl --no-cache --temperature 0 --out out >/dev/null 2>"$work/$provider.err") \
    || { cat "$work/$provider.err" >&2; exit 1; }
done

python3 - "$work/out/bench.sqlite" "$(cat "$work/llamacpp.txt")" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rate = {"llamacpp": float(sys.argv[2])}
print(f"   llamacpp: {rate['llamacpp']:7.1f} decode tokens/s (llama-cpp-python 0.3.36, same file, same prompts)")
for provider, tokens, seconds, n in db.execute(
    "SELECT provider, SUM(output_tokens - 1), SUM(latency_ms - ttft_ms) / 1000.0, COUNT(*) FROM results "
    "WHERE ok = 1 AND ttft_ms IS NOT NULL GROUP BY provider"):
    rate[provider] = tokens / seconds
    print(f"{provider:>11}: {rate[provider]:7.1f} decode tokens/s over {n} answers")
base = rate["llamacpp"]
print(f"smollm2-q4 (Q4_1 as shipped) / llama.cpp: {rate['smollm2-q4'] / base:.2f}x")
print(f"smollm2    (Q8_0 requantized) / llama.cpp: {rate['smollm2'] / base:.2f}x   (goal >= 0.8x)")
PY
