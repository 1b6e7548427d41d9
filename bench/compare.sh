#!/usr/bin/env bash
# Two checkouts of the sandbox side by side on one machine: each serves the DeskChime users list
# (`--workers 2` on a throwaway Redis, or `--store memory://` with STORE=memory) and wrk measures
# it, the checkouts taking turns ROUNDS times, so both see the same machine. Prints req/s and the
# CPU per request of the sandbox's processes and of redis-server (from /proc). Needs wrk and redis-server.
# usage: bash bench/compare.sh OLD_CHECKOUT NEW_CHECKOUT [SECONDS] [ROUNDS]
set -euo pipefail
old=$1; new=$2; seconds=${3:-8}; rounds=${4:-2}
python=${PYTHON:-python3}
redis_port=$($python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null' EXIT
sleep 0.5
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
key=dc_live_AcmeDemoKey000000000000000000001
for round in $(seq "$rounds"); do
  for checkout in "$old" "$new"; do
    port=$($python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
    if [ "${STORE:-redis}" = memory ]; then flags=(); else
      redis-cli -p "$redis_port" flushall >/dev/null
      flags=(--store "redis://127.0.0.1:$redis_port/0" --workers 2); fi
    (cd "$checkout" && PYTHONPATH="$checkout" exec $python -m mockserver.cli serve --port "$port" \
      --rate-limits off --log-level warning "${flags[@]}" 2>/dev/null) &
    server=$!
    for _ in $(seq 150); do curl -sf "127.0.0.1:$port/__sandbox/health" >/dev/null && break; sleep 0.2; done
    url="http://127.0.0.1:$port/deskchime/api/v1/users?limit=50"
    wrk -t2 -c16 -d2s -H "x-api-key: $key" "$url" >/dev/null  # warm-up
    workers=$(pgrep -f "serve --port $port")  # the master and its workers
    before=0; for w in $workers; do before=$((before + $(cpu $w))); done
    rbefore=$(cpu $redis_pid)
    out=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "x-api-key: $key" "$url")
    after=0; for w in $workers; do after=$((after + $(cpu $w))); done
    requests=$(echo "$out" | awk '/requests in/{print $1}')
    $python - "$checkout" "$requests" "$seconds" "$((after - before))" "$(( $(cpu $redis_pid) - rbefore ))" "$ticks" "$(echo "$out" | awk '/ 99%/{print $2}')" <<'PY'
import sys
checkout, requests, seconds, worker, redis, ticks, p99 = sys.argv[1:]
n = int(requests)
print(f"{checkout}: {n / float(seconds):,.0f} req/s, p99 {p99}, CPU per request: sandbox "
      f"{1e6 * int(worker) / int(ticks) / n:.0f} us, redis-server {1e6 * int(redis) / int(ticks) / n:.0f} us")
PY
    pkill -P $server 2>/dev/null || true; kill $server 2>/dev/null || true; wait $server 2>/dev/null || true
  done
done
