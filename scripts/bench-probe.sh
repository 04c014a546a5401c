#!/usr/bin/env bash
# A short look at one endpoint under load, for working on the intake's cost (not part of `make bench`): a fresh
# database and Redis (profile `bench`), a Release server (every role, or LuuTru__Roles=api for the request path
# alone), a warm-up, then a measured wrk run. Prints requests/s, the server's and Redis's CPU per request (/proc),
# bytes allocated per request (the runtime's counter on /metrics) and Redis's busiest commands (INFO commandstats).
#   PROBE_ENDPOINT (default /api/v1/notifications; /bench/bare and /bench/append for the yardsticks)
#   PROBE_WARMUP (25s), PROBE_DURATION (12s); PROBE_PERF=1 also records `perf` samples into artifacts/bench/perf.data; PROBE_PERF_ARGS=-g adds call graphs
# Everything else in the environment reaches the server (LuuTru__Roles=api, LuuTru__Metrics__Enabled=false, ...).
# One run here is not a measurement: this VM drifts by a third between runs; alternate what you compare.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
PORT="${PROBE_PORT:-8097}"
EP="${PROBE_ENDPOINT:-/api/v1/notifications}"

LUUTRU_NEED_WRK=1 LUUTRU_NEED_PERF="${PROBE_PERF:-0}" scripts/infra.sh up bench
eval "$(scripts/infra.sh env bench)"
source scripts/bench-server.sh
bench_database luutru_probe
redis_port="${LuuTru__Redis__ConnectionString##*:}"
redis-cli -p "$redis_port" flushall >/dev/null
bench_build_server
export LuuTru__Auth__SigningKey="bench-signing-key-0123456789-abcdefghijklmnop"
export LuuTru__Demo__Enabled=true LuuTru__Benchmark__Enabled=true Logging__LogLevel__Default=Warning
[ "${PROBE_PERF:-0}" = 1 ] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
(cd "$SERVER_DIR" && exec dotnet "$SERVER_DLL" --urls "http://127.0.0.1:$PORT") &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

export API_KEY="lt_demo0001_DemoKeyForLocalUseOnly0000000000"
export ARRIVAL="$(TZ=Asia/Ho_Chi_Minh date -d '-1 hour' +%Y-%m-%dT%H:%M:%S)"
export DEPARTURE="$(TZ=Asia/Ho_Chi_Minh date -d '+2 days' +%Y-%m-%dT%H:%M:%S)"
out="$REPO/artifacts/bench"; mkdir -p "$out"
drained() { [ "${LuuTru__Roles:-}" = api ] && return 0; for _ in $(seq 1 120); do [ "$(redis-cli -p "$redis_port" xlen luutru:intake)" = 0 ] && return 0; sleep 0.5; done; }
wrk -t2 -c64 -d"${PROBE_WARMUP:-25s}" -s bench/intake.lua "http://127.0.0.1:$PORT$EP" >/dev/null
drained; sleep 1

jiffies() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13 + $14 + $15}'; }
# The runtime's tiered-compilation thread (methods still reaching their optimised tier: a fresh process's cost, not a
# request's), apart, so a run's figure can be told from its steady state. The runtime ends that thread when it is idle
# and starts another when needed: each thread's time is counted from the first sample it is seen in, so the figure is
# a lower bound (the time of a thread that ended between the samples is not in it).
jit_threads() { local t; for t in /proc/"$1"/task/*; do if [ "$(cat "$t/comm" 2>/dev/null)" = ".NET Tiered Com" ]; then echo "${t##*/} $(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}')"; fi; done; }
allocated() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ {print $2}'; }
jit_since() { jit_threads "$1" | awk -v before="$2" 'BEGIN {n = split(before, b, " "); for (i = 1; i < n; i += 2) start[b[i]] = b[i + 1]}
  {s += $2 - ($1 in start ? start[$1] : 0)} END {print s + 0}'; }
redis_pid=$(cat "$LUUTRU_STATE_DIR/redis/redis.pid")
postmaster=$(head -1 "$LUUTRU_STATE_DIR/pg/postmaster.pid")
pg_jiffies() { local p; for p in "$postmaster" $(pgrep -P "$postmaster"); do [ -r "/proc/$p/stat" ] && jiffies "$p"; done | awk '{s += $1} END {print s + 0}'; }
redis-cli -p "$redis_port" config resetstat >/dev/null
s0=$(jiffies "$server"); j0=$(jit_threads "$server" | tr '\n' ' '); r0=$(jiffies "$redis_pid"); p0=$(pg_jiffies); a0=$(allocated)
perf_pid=""
if [ "${PROBE_PERF:-0}" = 1 ]; then perf record -F 499 ${PROBE_PERF_ARGS:-} -p "$server" -o "$out/perf.data" -- sleep "${PROBE_DURATION:-12s}" >/dev/null 2>&1 & perf_pid=$!; fi
wrk -t2 -c64 -d"${PROBE_DURATION:-12s}" -s bench/intake.lua "http://127.0.0.1:$PORT$EP" > "$out/probe.txt"
[ -n "$perf_pid" ] && wait "$perf_pid"
drained
s1=$(jiffies "$server"); j1=$(jit_since "$server" "$j0"); r1=$(jiffies "$redis_pid"); p1=$(pg_jiffies); a1=$(allocated)
n=$(awk '/requests in/ {print $1}' "$out/probe.txt")
hz=$(getconf CLK_TCK)
echo "$EP: $(awk '/Requests\/sec/ {print $2}' "$out/probe.txt") requests/s, $n requests"
awk -v s="$((s1 - s0))" -v j="$j1" -v r="$((r1 - r0))" -v p="$((p1 - p0))" -v n="$n" -v hz="$hz" -v a0="$a0" -v a1="$a1" 'BEGIN {
  printf "server CPU %.0f µs per request (of which at least %.0f µs the JIT'"'"'s tiering thread), Redis CPU %.0f µs per request, PostgreSQL CPU %.0f µs per request, %.0f bytes allocated per request\n", s * 1e6 / hz / n, j * 1e6 / hz / n, r * 1e6 / hz / n, p * 1e6 / hz / n, (a1 - a0) / n }'
echo "Redis's busiest commands (µs per request, calls per request):"
redis-cli -p "$redis_port" info commandstats | tr -d '\r' | awk -F'[:=,]' -v n="$n" '/^cmdstat_/ {printf "  %-22s %6.1f µs %6.2f calls\n", substr($1, 9), $5 / n, $3 / n}' | sort -k2 -rn | head -12
[ "${PROBE_PERF:-0}" = 1 ] && echo "perf samples: perf report -i $out/perf.data --no-children --sort sym"
exit 0
