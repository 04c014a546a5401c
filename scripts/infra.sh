#!/usr/bin/env bash
# Private PostgreSQL 15 and Redis instances for CuTru.LuuTru, on loopback, with their data in a
# git-ignored folder of the checkout. No Docker needed: both come from Debian's packages.
#
#   scripts/infra.sh install            install what is missing (PostgreSQL 15, Redis)
#   scripts/infra.sh up   run|test      start (or reuse) the profile's instances, create the database
#   scripts/infra.sh down run|test      stop them
#   scripts/infra.sh env  run|test      print the connection settings as shell exports
#   scripts/infra.sh pg-down|pg-up chaos stop / start only PostgreSQL (outage tests)
#
# Profiles run side by side: `run` (make run) and `test` (make test) use different ports and folders.
# Ports: LUUTRU_PG_PORT / LUUTRU_REDIS_PORT override the profile's defaults.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="/usr/lib/postgresql/15/bin"
PG_USER="luutru"
PG_PASSWORD="${LUUTRU_PG_PASSWORD:-luutru-dev}"

log() { printf '\033[1;34m[infra]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[infra]\033[0m %s\n' "$*" >&2; exit 1; }

profile_settings() {
  case "${1:-}" in
    run)  PG_PORT="${LUUTRU_PG_PORT:-55432}"; REDIS_PORT="${LUUTRU_REDIS_PORT:-56379}"; PG_DB="luutru" ;;
    test) PG_PORT="${LUUTRU_PG_PORT:-55433}"; REDIS_PORT="${LUUTRU_REDIS_PORT:-56380}"; PG_DB="luutru_test" ;;
    # A PostgreSQL of its own for tests that stop and start it (outage tests); shares the test Redis.
    bench) PG_PORT="${LUUTRU_PG_PORT:-55436}"; REDIS_PORT="${LUUTRU_REDIS_PORT:-56382}"; PG_DB="luutru_bench" ;;
    chaos) PG_PORT="${LUUTRU_CHAOS_PG_PORT:-55434}"; REDIS_PORT="${LUUTRU_REDIS_PORT:-56380}"; PG_DB="luutru_chaos" ;;
    *) die "unknown profile '${1:-}': use run, test, chaos or bench" ;;
  esac
  PROFILE="$1"
  STATE="$(state_root)/$PROFILE"
  PGDATA="$STATE/pg"
  PGSOCK="$STATE/pg-socket"
  REDIS_DIR="$STATE/redis"
}

# The data lives in <checkout>/.local. PostgreSQL runs as the `postgres` user (it refuses root), which
# must be able to reach that folder; if the checkout sits somewhere it cannot (say /root), fall back to
# a folder under /var/tmp named after the checkout.
state_root() {
  local root="$REPO/.local"
  mkdir -p "$root"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$root" 2>/dev/null; then
    root="/var/tmp/luutru-$(printf '%s' "$REPO" | sha1sum | cut -c1-12)"
    mkdir -p "$root"
    chmod 755 "$root"
  fi
  printf '%s' "$root"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd_install() {
  local missing=()
  [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql-15 postgresql-client-15)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ "${LUUTRU_NEED_WRK:-}" = 1 ] && ! command -v wrk >/dev/null 2>&1 && missing+=(wrk)
  [ "${LUUTRU_NEED_WRK:-}" = 1 ] && ! command -v bc >/dev/null 2>&1 && missing+=(bc)   # the intake benchmark's arithmetic
  # The browser tests drive Debian's Chromium (headless); nothing is downloaded.
  [ "${LUUTRU_NEED_BROWSER:-}" = 1 ] && ! command -v chromium >/dev/null 2>&1 && missing+=(chromium fonts-dejavu-core)
  [ "${LUUTRU_NEED_YAMLLINT:-}" = 1 ] && ! command -v yamllint >/dev/null 2>&1 && missing+=(yamllint)   # make test lints deploy/
  # make cluster and ClusterTests put HAProxy in front of the api processes (never started as a system service here).
  [ "${LUUTRU_NEED_HAPROXY:-}" = 1 ] && ! command -v haproxy >/dev/null 2>&1 && missing+=(haproxy)
  # scripts/bench-probe.sh with PROBE_PERF=1 samples the server with perf.
  [ "${LUUTRU_NEED_PERF:-}" = 1 ] && ! command -v perf >/dev/null 2>&1 && missing+=(linux-perf)
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  [ "$(id -u)" = 0 ] || die "need root to apt-get install ${missing[*]} (or install them yourself)"
  log "installing ${missing[*]} from Debian's packages"
  # Do not let the packages create and start a system-wide cluster or service: we run our own.
  mkdir -p /etc/postgresql-common
  if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
  fi
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; added_policy=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$added_policy" = 1 ] && rm -f "$policy"
  [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 did not install ($PG_BIN/pg_ctl missing)"
}

pg_running() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; }
redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

# Our ports lie inside Linux's ephemeral range (32768-60999): a client elsewhere on the machine may have used one
# as the local end of a connection, still held in TIME-WAIT for up to 60 s after it closed, and then the server's
# bind fails ("Address already in use"). Our own servers' closed connections never block it (both set
# SO_REUSEADDR), so only a start that failed that way is tried again. Usage: retry_if_port_busy LOG SIZE TRIES,
# with the log's size before the attempt: succeeds (after a pause) when the attempt may be made again.
retry_if_port_busy() {
  tail -c +"$(($2 + 1))" "$1" 2>/dev/null | grep -q "Address already in use" && [ "$3" -lt 15 ] || return 1
  log "the port is still held by a closed connection (TIME-WAIT); trying again in 5 s"
  sleep 5
}
log_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

pg_up() {
  if pg_running; then
    # The outage tests stop and start their PostgreSQL: it must be this checkout's own, not another's on the same port.
    if [ "$PROFILE" = chaos ] && [ ! -s "$PGDATA/postmaster.pid" ]; then
      die "port $PG_PORT answers, but not with this checkout's PostgreSQL ($PGDATA): stop the other one first (make stop where it was started)"
    fi
    log "PostgreSQL already answering on 127.0.0.1:$PG_PORT (reused)"
  else
    mkdir -p "$STATE" "$PGSOCK"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$STATE" "$PGSOCK"
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      log "initialising PostgreSQL 15 in $PGDATA"
      mkdir -p "$PGDATA"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
      local pwfile; pwfile="$(mktemp)"; printf '%s\n' "$PG_PASSWORD" > "$pwfile"
      [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
      as_pg "$PG_BIN/initdb" -D "$PGDATA" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
      rm -f "$pwfile"
    fi
    local opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGSOCK -c max_connections=300 -c shared_buffers=256MB"
    if [ "$PROFILE" = test ]; then
      # Test data is thrown away: trade crash safety of PostgreSQL itself for speed.
      opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    local tries=0 size
    while size=$(log_size "$STATE/postgresql.log"); \
        ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$STATE/postgresql.log" -o "$opts" -w -t 60 start >/dev/null 2>&1; do
      tries=$((tries + 1))
      retry_if_port_busy "$STATE/postgresql.log" "$size" "$tries" || { tail -n 20 "$STATE/postgresql.log" >&2; die "PostgreSQL did not start"; }
    done
  fi
  if ! PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc \
      "select 1 from pg_database where datname = '$PG_DB'" | grep -q 1; then
    log "creating database $PG_DB"
    PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "create database $PG_DB" >/dev/null
  fi
}

redis_up() {
  if redis_running; then
    log "Redis already answering on 127.0.0.1:$REDIS_PORT (reused)"
    return 0
  fi
  mkdir -p "$REDIS_DIR"
  log "starting Redis on 127.0.0.1:$REDIS_PORT (AOF on, fsync every second)"
  # appendfsync everysec: an acknowledged write reaches the disk within about one second; a power cut
  # can lose at most that last second, a crash of the server process loses nothing (see README).
  # auto-aof-rewrite-min-size 1gb: at the default 64 MB a busy intake rewrote the AOF every few seconds, and each
  # rewrite (a fork writing the whole data set) stalled the appends: intake p99 196-277 ms against 60-65 ms.
  local tries=0 size
  while :; do
    size=$(log_size "$REDIS_DIR/redis.log")
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DIR" --daemonize yes \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
      --appendonly yes --appendfsync everysec --auto-aof-rewrite-min-size 1gb --save "" >/dev/null
    # 5 s to answer; longer only while it says LOADING (a large append-only file replayed after a heavy run or a
    # crash: minutes for gigabytes), so a slow load is waited for and a failed start is not.
    for i in $(seq 1 6000); do
      redis_running && return 0
      if [ "$i" -gt 50 ]; then
        case "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>&1)" in LOADING*) ;; *) break ;; esac
        [ "$i" = 51 ] && log "Redis is loading its append-only file: waiting until it answers"
      fi
      sleep 0.1
    done
    tries=$((tries + 1))
    retry_if_port_busy "$REDIS_DIR/redis.log" "$size" "$tries" || break
  done
  tail -n 20 "$REDIS_DIR/redis.log" >&2; die "Redis did not start"
}

cmd_up() {
  profile_settings "$1"
  cmd_install
  pg_up
  redis_up
}

cmd_down() {
  profile_settings "$1"
  if [ -s "$PGDATA/postmaster.pid" ]; then
    log "stopping PostgreSQL ($PROFILE, port $PG_PORT)"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true
  fi
  if redis_running; then
    log "stopping Redis ($PROFILE, port $REDIS_PORT)"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  fi
}

cmd_pg_down() {
  profile_settings "$1"
  [ -s "$PGDATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null
  return 0
}

cmd_env() {
  profile_settings "$1"
  echo "export LuuTru__Database__ConnectionString='Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DB;Username=$PG_USER;Password=$PG_PASSWORD'"
  echo "export LuuTru__Redis__ConnectionString='127.0.0.1:$REDIS_PORT'"
  echo "export LUUTRU_STATE_DIR='$STATE'"
}

case "${1:-}" in
  install) cmd_install ;;
  up) cmd_up "${2:-}" ;;
  down) cmd_down "${2:-}" ;;
  pg-down) cmd_pg_down "${2:-}" ;;
  pg-up) profile_settings "${2:-}"; pg_up ;;
  env) cmd_env "${2:-}" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
