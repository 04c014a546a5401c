#!/usr/bin/env bash
# The nightly-report benchmark (part of `make bench`, or alone: `make bench-reports`): one million notifications
# (about 1.6 guests each) recorded for one day across all 3,321 communes, then every commune's report built through
# the admin rebuild endpoint (the same code as the 23:00 job). Measures the build time of a fresh server (first build
# after start) and of a second build, and the server's memory peak. Loopback only. Results: bench/results-reports.md.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

N="${REPORT_NOTIFICATIONS:-1000000}"
DAY="${REPORT_DAY:-2026-01-15}"
PORT="${BENCH_REPORT_PORT:-8093}"

scripts/infra.sh up bench
eval "$(scripts/infra.sh env bench)"
source scripts/bench-server.sh
bench_database luutru_reports_bench
pg() { psql -h 127.0.0.1 -p "$pg_port" -U luutru -v ON_ERROR_STOP=1 "$@"; }

bench_build_server
export LuuTru__Auth__SigningKey="bench-signing-key-0123456789-abcdefghijklmnop"
export LuuTru__Demo__Enabled=true LuuTru__Reports__SchedulerEnabled=false
export Logging__LogLevel__Default=Warning
server=""
start_server() {
  (cd "$SERVER_DIR" && exec env 'Logging__LogLevel__CuTru.LuuTru.Server.Reports=Information' \
     dotnet "$SERVER_DLL" --urls "http://127.0.0.1:$PORT") > "$out/reports-server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "[bench] server did not start" >&2; exit 1
}
stop_server() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; server=""; }
trap stop_server EXIT
out="$REPO/artifacts/bench"; mkdir -p "$out"

# The schema, reference data and demo admin come from a first start; the load goes in with the server stopped.
start_server; stop_server
cp "$out/reports-server.log" "$out/reports-server-first.log"
if [ "$(pg -d luutru_reports_bench -Atc "select to_regclass('public.communes') is not null")" != t ]; then
  echo "[bench] the first start left no schema in luutru_reports_bench; its log: $out/reports-server-first.log" >&2; exit 1
fi
echo "[bench] loading $N notifications for $DAY" >&2
load_start=$(date +%s)
pg -d luutru_reports_bench -q -v n="$N" -v day="$DAY" -f bench/reports-seed.sql >/dev/null
load_s=$(( $(date +%s) - load_start ))
guests=$(pg -d luutru_reports_bench -Atc "select count(*) from notification_guests")

start_server
# The 23:00 job runs on a server that has been up for hours: let the start-up work (migrations check, caches, the
# staying index, tiered compilation of the start path, the rehearsal of a build a minute after the start:
# Reports/ReportWarmUp.cs) finish first.
settled=$(date +%s)
for _ in $(seq 1 240); do grep -qE "Report build rehears" "$out/reports-server.log" && break; sleep 0.5; done
grep -qE "Report build rehears" "$out/reports-server.log" || echo "[bench] no rehearsal logged within 120 s" >&2
sleep "${BENCH_SETTLE_SECONDS:-5}"
settled=$(( $(date +%s) - settled ))
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
token=$(curl -fs "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"admin@demo.luutru.vn","password":"demo-matkhau-2026"}' | grep -o '"accessToken":"[^"]*"' | cut -d'"' -f4)
build() {
  curl -fs --max-time 300 -X POST "http://127.0.0.1:$PORT/api/v1/reports/$DAY/rebuild?kind=nightly" -H "authorization: Bearer $token"
}
echo "[bench] building every commune's report (fresh server)" >&2
# CPU seconds of the server and of PostgreSQL (postmaster, backends and the helpers that ended) over each build.
jiffies() { local p; for p in "$@"; do [ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13 + $14 + $15}'; done | awk '{s += $1} END {print s + 0}'; }
postmaster=$(head -1 "$LUUTRU_STATE_DIR/pg/postmaster.pid")
cpu_now() { echo "$(jiffies "$server") $(jiffies "$postmaster" $(pgrep -P "$postmaster"))"; }
cpu_used() { awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "server %.1f s, PostgreSQL %.1f s", (y[1] - x[1]) / hz, (y[2] - x[2]) / hz }'; }
c0=$(cpu_now)
first=$(build); echo "$first" > "$out/reports-first.json"
c1=$(cpu_now)
echo "[bench] building them again (warm server)" >&2
second=$(build); echo "$second" > "$out/reports-second.json"
c2=$(cpu_now)
peak=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
field() { printf '%s' "$1" | grep -o "\"$2\":[0-9]*" | cut -d: -f2; }   # a number of the build's JSON answer
steps() { grep -o 'read [0-9]* ms: .*(thread time)' "$out/reports-server.log" | sed -n "${1}p"; }
stored=$(pg -d luutru_reports_bench -Atc "select pg_size_pretty(sum(octet_length(content))) || ' of JSON, ' || pg_size_pretty(sum(pg_column_size(content))) || ' stored (lz4)' from commune_reports where version = 1")
stop_server

cat > bench/results-reports.md <<MD
# Nightly report benchmark

\`make bench\` (or \`make bench-reports\`) on $(nproc) cores, $(date -u +%Y-%m-%d), Release build, PostgreSQL 15 on the same machine.
$N notifications with $guests guests arriving on $DAY, spread over every commune (about $((N / 3321)) each), plus two approved
guesthouses per commune; every commune's nightly report built by \`POST /api/v1/reports/$DAY/rebuild\` (the 23:00 job's code).

| build | communes | notifications | guests | time |
| --- | --- | --- | --- | --- |
| first (server idle ${settled} s after it was ready, its rehearsal done) | $(field "$first" communes) | $(field "$first" notifications) | $(field "$first" guests) | **$(field "$first" elapsedMilliseconds) ms** |
| second (warm process) | $(field "$second" communes) | $(field "$second" notifications) | $(field "$second" guests) | **$(field "$second" elapsedMilliseconds) ms** |

- target: under 10 000 ms
- where the time went (first; second): $(steps 1); $(steps 2)
- CPU (first; second): $(cpu_used "$c0" "$c1"); $(cpu_used "$c1" "$c2")
- server memory: $((rss_before / 1024)) MiB resident before, peak $((peak / 1024)) MiB (VmHWM) over both builds
- stored per build: $stored
- loading the test data (SQL, not part of the figure): ${load_s} s
MD
cat bench/results-reports.md
