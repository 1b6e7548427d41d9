#!/usr/bin/env bash
# Installs the load generator (wrk) and redis-server from the OS packages if missing, then runs
# the benchmark (which installs Prism with npm under bench/.prism the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=""
command -v wrk >/dev/null || missing="$missing wrk"
command -v redis-server >/dev/null || missing="$missing redis-server"
if [ -n "$missing" ]; then
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq $missing
fi
python -m pip install -q -e . >/dev/null
exec python bench/bench.py "$@"
