#!/usr/bin/env bash
# Installs the load generator (wrk, from the OS packages) if missing, then runs the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq wrk
fi
python -m pip install -q -e . >/dev/null
exec python bench/bench.py "$@"
