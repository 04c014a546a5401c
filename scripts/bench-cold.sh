#!/usr/bin/env bash
# Part of `make bench` (BENCH_COLD=0 skips it; alone: `bash scripts/bench-cold.sh`): live push from the first minute
# after a start. A fresh server process (ReadyToRun with BENCH_READY_TO_RUN=1, see bench-server.sh) on a database
# that exists (its schema, demo data and the client's warm-up); as soon as it is ready, 500 dashboards connect (each
# counted once the hub has put it in its groups) and notifications arrive at 1,000/s for COLD_SECONDS (default 40)
# with no warm-up of the server: every delivery is timed, the slowest of each second listed. The bench client is
# warm (COLD_CLIENT_WARMUP seconds, default 10, of the same load against the process before): its own JIT would
# otherwise be counted as the server's. Results: bench/results-live-cold.md. Loopback only.
# BENCH_SERVER_ENV="DOTNET_X=1 ..." sets the server's environment alone (not the bench client's), for runtime
# settings; BENCH_DUMP=file writes every delivery's times (bench/CuTru.LuuTru.Bench/Program.cs).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
PORT="${BENCH_COLD_PORT:-8094}"

scripts/infra.sh up bench
eval "$(scripts/infra.sh env bench)"
source scripts/bench-server.sh
bench_database luutru_cold_bench
export LuuTru__Redis__KeyPrefix="cold:"
redis_port="${LuuTru__Redis__ConnectionString##*:}"
redis-cli -p "$redis_port" --scan --pattern 'cold:*' | xargs -r -n 500 redis-cli -p "$redis_port" unlink >/dev/null

bench_build_server
dotnet build bench/CuTru.LuuTru.Bench -c Release -nologo -v quiet -clp:NoSummary >/dev/null
export LuuTru__Auth__SigningKey="bench-signing-key-0123456789-abcdefghijklmnop"
export LuuTru__Demo__Enabled=true LuuTru__Auth__LoginAttemptsPerMinute=1000 Logging__LogLevel__Default=Warning
start() {
  (cd "$SERVER_DIR" && exec env ${BENCH_SERVER_ENV:-} dotnet "$SERVER_DLL" --urls "http://127.0.0.1:$PORT") &
  server=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "[bench] server did not start" >&2; exit 1
}
stop() { kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
trap stop EXIT
# The schema and demo data come from a first start (a deployment's database exists before its processes restart). The
# bench client warms itself against that server (COLD_CLIENT_WARMUP seconds of the same load: its own JIT is
# not what is measured), which then stops; a fresh server process starts and the client, warm, meets it cold.
signal="$(mktemp -d)/cold"
start
BENCH_RESTART="$signal" dotnet bench/CuTru.LuuTru.Bench/bin/Release/net10.0/CuTru.LuuTru.Bench.dll "http://127.0.0.1:$PORT" \
  admin@demo.luutru.vn demo-matkhau-2026 500 50 1000 "${COLD_SECONDS:-40}" bench/results-live-cold.md "${COLD_CLIENT_WARMUP:-10}" \
  &
client=$!
for _ in $(seq 1 1200); do [ -e "$signal.warm" ] && break; kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
[ -e "$signal.warm" ] || { echo "[bench] the client did not warm up" >&2; exit 1; }
stop
started=$(date +%s.%N)
start
ready=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
echo "[bench] cold start: ready after ${ready} s; live push with no warm-up of the server" >&2
touch "$signal.go"
wait "$client"
rm -rf "$(dirname "$signal")"
r2r=$([ "${BENCH_READY_TO_RUN:-0}" = 1 ] && echo "ReadyToRun" || echo "no ReadyToRun (JIT only)")${BENCH_SERVER_ENV:+, server environment $BENCH_SERVER_ENV}
sed -i "1s|.*|# Live push from the first minute after a start ($r2r; the server ready $(printf '%.1f' "$ready") s after it was started)|" bench/results-live-cold.md
cat bench/results-live-cold.md
