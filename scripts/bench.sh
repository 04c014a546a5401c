#!/usr/bin/env bash
# `make bench`: intake throughput and latency against a bare endpoint of the same server, the drain's rate and the
# backlog over time. Loopback only, bounded in time. Results: bench/results-intake.md.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
PORT="${BENCH_PORT:-8095}"
KEY="lt_demo0001_DemoKeyForLocalUseOnly0000000000"

LUUTRU_NEED_WRK=1 scripts/infra.sh up bench
eval "$(scripts/infra.sh env bench)"
source scripts/bench-server.sh
bench_database luutru_bench
pg="psql -h 127.0.0.1 -p $pg_port"
redis_port="${LuuTru__Redis__ConnectionString##*:}"
redis-cli -p "$redis_port" flushall >/dev/null

bench_build_server
dotnet build bench/CuTru.LuuTru.Bench -c Release -nologo -v quiet -clp:NoSummary >/dev/null
export LuuTru__Auth__SigningKey="bench-signing-key-0123456789-abcdefghijklmnop"
export LuuTru__Demo__Enabled=true LuuTru__Benchmark__Enabled=true
export LuuTru__Auth__LoginAttemptsPerMinute=1000
export Logging__LogLevel__Default=Warning
# BENCH_SPLIT=1: the drain (with the scheduler and the relay) in a process of its own (LuuTru:Roles), as a deployment
# that grows by processes runs it; the endpoints are then served by an `api` process alone.
SPLIT="${BENCH_SPLIT:-0}"
worker=""
if [ "$SPLIT" = 1 ]; then
  (cd "$SERVER_DIR" && LuuTru__Roles=drain,scheduler,relay exec dotnet "$SERVER_DLL" --urls "http://127.0.0.1:$((PORT + 1))") &
  worker=$!
  export LuuTru__Roles=api
fi
(cd "$SERVER_DIR" && exec dotnet "$SERVER_DLL" --urls "http://127.0.0.1:$PORT") &
server=$!
unset LuuTru__Roles
trap 'kill -TERM $server $worker 2>/dev/null || true; wait $server $worker 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
if [ -n "$worker" ]; then for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$((PORT + 1))/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done; fi

export API_KEY="$KEY"
export ARRIVAL="$(TZ=Asia/Ho_Chi_Minh date -d '-1 hour' +%Y-%m-%dT%H:%M:%S)"
export DEPARTURE="$(TZ=Asia/Ho_Chi_Minh date -d '+2 days' +%Y-%m-%dT%H:%M:%S)"
out="$REPO/artifacts/bench"; mkdir -p "$out"

# The machine's busy CPU (all processes: server, wrk, PostgreSQL, Redis) over each run, from /proc/stat, written
# as "busy-jiffies total-jiffies" to $out/NAME.cpu.
cpu_now() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
# Each process's own CPU (user + system, and its children that ended: Redis's AOF rewrites, PostgreSQL's backends
# that closed) in jiffies, as "server worker redis postgres": the server (the api process when split), the drain's
# process when split (else 0), Redis, and PostgreSQL's postmaster with every backend and helper.
jiffies() { local p; for p in "$@"; do [ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13 + $14 + $15}'; done | awk '{s += $1} END {print s + 0}'; }
postmaster=$(head -1 "$LUUTRU_STATE_DIR/pg/postmaster.pid")
redis_pid=$(cat "$LUUTRU_STATE_DIR/redis/redis.pid")
procs_now() { echo "$(jiffies "$server") $( [ -n "$worker" ] && jiffies "$worker" || echo 0) $(jiffies "$redis_pid") $(jiffies "$postmaster" $(pgrep -P "$postmaster"))"; }
procs_delta() { echo "$1 $2" | awk '{print $5 - $1, $6 - $2, $7 - $3, $8 - $4}'; }
run_wrk() {
  local before procs; before=$(cpu_now); procs=$(procs_now)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/intake.lua "http://127.0.0.1:$PORT$1" > "$out/$2.txt"
  echo "$before $(cpu_now)" | awk '{print $3 - $1, $4 - $2}' > "$out/$2.cpu"
  procs_delta "$procs" "$(procs_now)" > "$out/$2.procs"
}
# One process's CPU in µs per unit: proc_us NAME COLUMN(1 server, 2 worker, 3 redis, 4 postgres) COUNT
proc_us() { awk -v c="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" '{printf "%.0f", $c * 1000000 / hz / n}' "$out/$1.procs"; }
requests() { awk '/requests in/ {print $1}' "$out/$1.txt"; }
# Percent of the machine busy during a run, and busy CPU in µs per request.
busy_pct() { awk '{printf "%.0f", 100 * $1 / $2}' "$out/$1.cpu"; }
cpu_us() { awk -v n="$(awk '/requests in/ {print $1}' "$out/$1.txt")" -v hz="$(getconf CLK_TCK)" '{printf "%.0f", $1 * 1000000 / hz / n}' "$out/$1.cpu"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $4}' "$1"; }

# Warm-up under the same load, long enough for tiered compilation to settle (a 3 s warm-up left the JIT's
# instrumented code running and halved both figures; after 8 s the JIT still had a fifth of the CPU samples, and
# the intake measured 4,000-5,000 req/s against 5,300-5,500 after 30 s).
WARMUP="${BENCH_WARMUP:-30s}"
echo "[bench] warm-up, $WARMUP per endpoint" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/intake.lua "http://127.0.0.1:$PORT/bench/bare" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/intake.lua "http://127.0.0.1:$PORT/bench/append" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/intake.lua "http://127.0.0.1:$PORT/api/v1/notifications" >/dev/null

# Drain the warm-up first: the bare endpoint's run must not share the machine with the drain (it did until
# 2026-11-23, which lowered the bare figures), and the backlog below must be the load's own.
for _ in $(seq 1 120); do [ "$(redis-cli -p "$redis_port" xlen luutru:intake)" = 0 ] && break; sleep 0.5; done
sleep 2
echo "[bench] bare endpoint, $CONNECTIONS connections, $DURATION" >&2
run_wrk /bench/bare bare
sleep 2
# The lean prototype the target was set against: parse, one XADD, answer (no key, rules, idempotency, receipt, drain).
echo "[bench] append endpoint (parse + one XADD), $CONNECTIONS connections, $DURATION" >&2
run_wrk /bench/append append
sleep 2

before=$($pg -U luutru -d luutru_bench -Atc "select count(*) from notifications")

echo "[bench] intake endpoint, $CONNECTIONS connections, $DURATION" >&2
: > "$out/backlog.tsv"
( start=$(date +%s.%N)
  while :; do
    len=$(redis-cli -p "$redis_port" xlen luutru:intake 2>/dev/null || echo ?)
    printf '%.1f\t%s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$len" >> "$out/backlog.tsv"
    sleep 0.5
  done ) &
sampler=$!
load_start=$(date +%s.%N)
procs_start=$(procs_now)
run_wrk /api/v1/notifications intake
load_end=$(date +%s.%N)
zero_after=""
for _ in $(seq 1 240); do
  if [ "$(redis-cli -p "$redis_port" xlen luutru:intake)" = 0 ]; then zero_after=$(echo "$(date +%s.%N) - $load_end" | bc); break; fi
  sleep 0.25
done
kill $sampler 2>/dev/null || true
drained_end=$(date +%s.%N)
procs_delta "$procs_start" "$(procs_now)" > "$out/stored.procs"
after=$($pg -U luutru -d luutru_bench -Atc "select count(*) from notifications")
recorded=$((after - before))
accepted=$(awk '/requests in/ {print $1}' "$out/intake.txt")
errors=$(non2xx "$out/intake.txt"); errors=${errors:-0}
max_backlog=$(cut -f2 "$out/backlog.tsv" | grep -v '?' | sort -n | tail -1)
drain_rate=$(echo "scale=0; $recorded / ($drained_end - $load_start)" | bc)

bare_rps=$(rps "$out/bare.txt"); intake_rps=$(rps "$out/intake.txt")
ratio=$(echo "scale=2; 100 * $intake_rps / $bare_rps" | bc)
append_rps=$(rps "$out/append.txt"); append_ratio=$(echo "scale=2; 100 * $append_rps / $bare_rps" | bc)
bare_p99=$(pct "$out/bare.txt" 99%); intake_p99=$(pct "$out/intake.txt" 99%)

cat > bench/results-intake.md <<MD
# Intake benchmark

\`make bench\` on $(nproc) cores, $(date -u +%Y-%m-%d), wrk -t$THREADS -c$CONNECTIONS -d$DURATION after a $WARMUP warm-up of each endpoint, loopback, Release build,
PostgreSQL 15 and Redis on the same machine (profile \`bench\` of scripts/infra.sh).

| endpoint | requests/s | p50 | p99 |
| --- | --- | --- | --- |
| bare (parse the same JSON, answer 202) | $bare_rps | $(pct "$out/bare.txt" 50%) | $bare_p99 |
| append (the same plus one XADD: the lean prototype) | $append_rps | $(pct "$out/append.txt" 50%) | $(pct "$out/append.txt" 99%) |
| intake (auth, rules, idempotency, receipt, XADD) | $intake_rps | $(pct "$out/intake.txt" 50%) | $intake_p99 |

- intake / bare throughput: **$ratio %** (target ≥ 60 %); append / bare: $append_ratio %
- p99: intake $intake_p99 vs bare $bare_p99 (target: at most 3×)
- non-2xx answers under load: $errors
- requests answered 202 during the intake run: $accepted; rows recorded in PostgreSQL: $recorded
  (the difference is requests wrk cut off at the end of the run; zero loss is shown by the crash test)
- drain: about $drain_rate rows/s from the start of the load until the buffer was empty
- backlog: peak $max_backlog entries; empty ${zero_after:-(not within 60 s)} s after the load ended
  (samples every 0.5 s in artifacts/bench/backlog.tsv)
MD
cat >> bench/results-intake.md <<MD
- machine CPU (all processes, /proc/stat) per request: bare $(cpu_us bare) µs with the machine $(busy_pct bare) % busy;
  append $(cpu_us append) µs with it $(busy_pct append) % busy; intake $(cpu_us intake) µs with it $(busy_pct intake) % busy (the drain's work during the run included)
MD
bare_n=$(requests bare); append_n=$(requests append)
server_bare=$(proc_us bare 1 "$bare_n"); server_intake=$(proc_us stored 1 "$recorded")
if [ "$SPLIT" = 1 ]; then
  shape='Split (BENCH_SPLIT=1): an `api` process takes the requests; the drain, scheduler and relay run in a process of their own.'
  worker_row="| drain process | – | – | $(proc_us stored 2 "$recorded") µs | |"$'\n'
  server_name="server (api)"
else
  shape='One process with every role (the drain beside the intake, as `make run`); BENCH_SPLIT=1 puts the drain in a process of its own.'
  worker_row=""; server_name="server"
fi
cat >> bench/results-intake.md <<MD

## Each process's CPU

User and system time from /proc per request; for the intake per notification stored, from the start of its load until
the buffer was empty (the drain's work included). $shape

| process | bare | append | intake | target |
| --- | --- | --- | --- | --- |
| $server_name | $server_bare µs | $(proc_us append 1 "$append_n") µs | **$server_intake µs** ($(echo "scale=1; $server_intake / $server_bare" | bc) × bare) | ≤ 2 × bare |
${worker_row}| Redis | – | $(proc_us append 3 "$append_n") µs | **$(proc_us stored 3 "$recorded") µs** | ≤ 15 µs or ≤ 2 × append's |
| PostgreSQL | – | – | **$(proc_us stored 4 "$recorded") µs** per row stored | ≤ 40 µs |
MD
bash scripts/bench-floor.sh "$(cpu_us bare)" "$(busy_pct bare)" bench/results-intake.md
cat bench/results-intake.md

# Live push: 500 dashboards over 50 communes while notifications arrive at 1,000/s (bench/results-live.md); BENCH_LIVE=0 skips it.
[ "${BENCH_LIVE:-1}" = 0 ] || echo "[bench] live push: ${LIVE_DASHBOARDS:-500} dashboards, ${LIVE_COMMUNES:-50} communes, ${LIVE_RATE:-1000}/s for ${LIVE_SECONDS:-15} s after ${LIVE_WARMUP_SECONDS:-20} s of warm-up" >&2
[ "${BENCH_LIVE:-1}" = 0 ] || dotnet bench/CuTru.LuuTru.Bench/bin/Release/net10.0/CuTru.LuuTru.Bench.dll "http://127.0.0.1:$PORT" \
  admin@demo.luutru.vn demo-matkhau-2026 \
  "${LIVE_DASHBOARDS:-500}" "${LIVE_COMMUNES:-50}" "${LIVE_RATE:-1000}" "${LIVE_SECONDS:-15}" bench/results-live.md "${LIVE_WARMUP_SECONDS:-20}"

# The intake's processes are done: stopped before the next parts, which start servers of their own (the split run's
# worker listens on PORT + 1, and anything still running takes from the two cores what a fresh start is measured by).
kill -TERM $server $worker 2>/dev/null || true; wait $server $worker 2>/dev/null || true

# Live push from the first minute after a start (bench/results-live-cold.md); BENCH_COLD=0 skips it.
[ "${BENCH_COLD:-1}" = 0 ] || bash scripts/bench-cold.sh

# Nightly reports: every commune's report over a million notifications (bench/results-reports.md).
# BENCH_REPORTS=0 skips it (its data takes a minute to load; the intake and live parts alone take about 3 minutes).
[ "${BENCH_REPORTS:-1}" = 0 ] || bash scripts/bench-reports.sh
