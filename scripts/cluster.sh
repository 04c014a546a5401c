#!/usr/bin/env bash
# `make cluster`: the hub as a deployment that grows by processes, on this machine. HAProxy (Debian's package, config
# deploy/haproxy/haproxy.cfg) in front of two `api` processes, one process for the drain, the scheduler and the relay,
# on the `run` profile's PostgreSQL and Redis (demo data, as `make run`). Prints the URL and returns; `make stop` (or
# `scripts/cluster.sh down`) ends it. Logs and process ids in <state>/cluster/.
#
#   scripts/cluster.sh up     start (what is already running is stopped first)
#   scripts/cluster.sh down   stop the processes and HAProxy (the databases: make stop)
#   scripts/cluster.sh kill api1|api2|worker   kill -9 one process (to watch the rest carry on)
#   scripts/cluster.sh start api1|api2|worker  start it again
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

PORT="${LUUTRU_HTTP_PORT:-8080}"
KBTT_PORT="${LUUTRU_KBTT_PORT:-8081}"
export LUUTRU_SCRIPT=cluster
# api1, api2 and the worker listen next to HAProxy (the worker only for /health and /metrics).
declare -A PORTS=([api1]=$((PORT + 2)) [api2]=$((PORT + 3)) [worker]=$((PORT + 4)))
declare -A ROLES=([api1]=api [api2]=api [worker]=drain,scheduler,relay)

eval "$(scripts/infra.sh env run)"
DIR="$LUUTRU_STATE_DIR/cluster"
DLL="$REPO/src/CuTru.LuuTru.Server/bin/Release/net10.0/CuTru.LuuTru.Server.dll"

stop_pid() { # name
  local f="$DIR/$1.pid"
  [ -s "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

down() {
  [ -d "$DIR" ] || return 0
  for name in haproxy api1 api2 worker standin; do stop_pid "$name"; done
}

ready() { # port
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.25; done
  return 1
}

start() { # name: one server process with its roles, in the background, its pid kept
  local name="$1"
  (cd src/CuTru.LuuTru.Server && LuuTru__Roles="${ROLES[$name]}" exec dotnet "$DLL" --urls "http://127.0.0.1:${PORTS[$name]}") \
    >> "$DIR/$name.log" 2>&1 &
  echo $! > "$DIR/$name.pid"
  ready "${PORTS[$name]}" || { echo "[cluster] $name did not become ready: see $DIR/$name.log" >&2; exit 1; }
}

environment() {
  source scripts/lib.sh
  signing_key
  export LuuTru__Demo__Enabled="${LuuTru__Demo__Enabled:-true}"
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  # Every process believes HAProxy's X-Forwarded-For (the client's address for rate limits and the audit log).
  export LuuTru__Network__KnownProxies__0=127.0.0.1
}

up() {
  down
  LUUTRU_NEED_HAPROXY=1 scripts/infra.sh install
  scripts/infra.sh up run
  mkdir -p "$DIR"
  environment
  for p in "$PORT" "${PORTS[@]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "Port $p is already in use (make run?): stop what runs there or set LUUTRU_HTTP_PORT." >&2; exit 1
    fi
  done
  scripts/web.sh
  echo "[cluster] building the server" >&2
  dotnet build src/CuTru.LuuTru.Server -c Release -nologo -v quiet -clp:NoSummary >/dev/null
  start_standin
  [ -n "$standin" ] && echo "$standin" > "$DIR/standin.pid"
  # The worker first: it migrates the database and seeds the demo data before the api processes start.
  echo "[cluster] starting the worker (drain, scheduler, relay) and two api processes" >&2
  start worker
  start api1 & a=$!; start api2 & b=$!; wait $a; wait $b
  LUUTRU_LISTEN="127.0.0.1:$PORT" LUUTRU_API1="127.0.0.1:${PORTS[api1]}" LUUTRU_API2="127.0.0.1:${PORTS[api2]}" \
    haproxy -D -f deploy/haproxy/haproxy.cfg -p "$DIR/haproxy.pid"
  ready "$PORT" || { echo "[cluster] HAProxy does not answer on $PORT" >&2; exit 1; }
  banner "http://127.0.0.1:$PORT"
  cat <<MORE
  The cluster: HAProxy on 127.0.0.1:$PORT in front of api1 (:${PORTS[api1]}) and api2 (:${PORTS[api2]}); the drain,
  scheduler and relay in the worker (:${PORTS[worker]}, /health and /metrics only). Logs: $DIR/*.log
  Try:  scripts/cluster.sh kill api1    (then: scripts/cluster.sh start api1)
  make stop ends the cluster and stops PostgreSQL and Redis.

MORE
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  kill)
    case "${2:-}" in api1|api2|worker) ;; *) echo "usage: $0 kill api1|api2|worker" >&2; exit 2 ;; esac
    [ -s "$DIR/$2.pid" ] && kill -KILL "$(cat "$DIR/$2.pid")" 2>/dev/null; rm -f "$DIR/$2.pid"; echo "[cluster] $2 killed" >&2 ;;
  start)
    case "${2:-}" in api1|api2|worker) ;; *) echo "usage: $0 start api1|api2|worker" >&2; exit 2 ;; esac
    environment
    [ -s "$DIR/standin.pid" ] && export LuuTru__Kbtt__UpstreamBaseUrl="${LuuTru__Kbtt__UpstreamBaseUrl:-http://127.0.0.1:$KBTT_PORT}"
    start "$2"; echo "[cluster] $2 ready" >&2 ;;
  *) echo "usage: $0 up|down|kill NAME|start NAME" >&2; exit 2 ;;
esac
