#!/usr/bin/env bash
# A screenshot of a bench HTML report (for the README, or slides), taken by headless Chromium through
# scripts/check-report.py, which also checks the page: the script fails, after writing the picture,
# when the report has a console error, fetches anything, or its task table does not work.
#
#   scripts/screenshot-report.sh                               # newest results/*/report.html -> docs/report.png
#   scripts/screenshot-report.sh REPORT.html OUT.png [HEIGHT]  # HEIGHT in pixels (default 1800; 0: the whole page)
#
# Needs python3 and Debian's chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

report="${1:-}"
if [ -z "$report" ]; then
  report="$(ls -t results/*/report.html 2>/dev/null | head -n 1 || true)"
  [ -n "$report" ] || { echo "error: no results/*/report.html: run bench compare first, or name a report" >&2; exit 2; }
fi
out="${2:-docs/report.png}"
height="${3:-1800}"
mkdir -p "$(dirname "$out")"
python3 scripts/check-report.py "$report" --screenshot "$out" --width 1280 --height "$height" >/dev/null
echo "$out (from $report)"
