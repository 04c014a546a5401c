#!/usr/bin/env bash
# Part of `make bench`, run right after the intake measurement: the least CPU that storing one notification can
# cost on this machine, whatever the server's code does, and so the most the intake could reach against the bare
# endpoint here. Each floor is the machine's busy CPU (/proc/stat: the storage server, its client, the kernel
# between them) divided by the notifications stored, the way bench.sh measures the bare endpoint's request:
#   PostgreSQL: the rows the intake run recorded (notifications, guests, police events), dumped, then COPYed again by
#     psql from a file into copies of the three tables (same indexes and reference check; plain tables, not partitioned),
#     one COPY per table.
#   Redis: per notification the writes no design can skip (XADD of the payload, SET of the Idempotency-Key record,
#     INCR of the receipt counter, HSET of the staying index), pipelined by redis-benchmark at the script call's
#     average batch, then the entries read back (XREADGROUP NOACK, 500 at a time) and the stream trimmed; sizes from
#     the run's own data. The server does more than this (GET of the key, the staying check, the read-your-write
#     keys; the drain XACKs and XDELs). Redis's AOF is on, as in the run, but not rewritten during the measurement.
# Usage (from bench.sh): bench-floor.sh BARE_CPU_US_PER_REQUEST BARE_BUSY_PERCENT RESULTS_FILE
set -euo pipefail
bare_us="$1"; bare_busy="$2"; results="$3"
: "${LuuTru__Database__ConnectionString:?run from bench.sh}" "${LuuTru__Redis__ConnectionString:?}"
pg_port="${LuuTru__Database__ConnectionString#*Port=}"; pg_port="${pg_port%%;*}"
redis_port="${LuuTru__Redis__ConnectionString##*:}"
export PGPASSWORD=luutru-dev
psql_bench() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$pg_port" -U luutru -d luutru_bench -v ON_ERROR_STOP=1 -q "$@"; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

# --- PostgreSQL -------------------------------------------------------------------------------------------------
echo "[bench] storage floor: PostgreSQL" >&2
psql_bench <<SQL
drop schema if exists floor cascade;
create schema floor;
create table floor.notifications (like public.notifications including all);
create table floor.notification_guests (like public.notification_guests including all);
create table floor.commune_events (like public.commune_events including all);
create trigger references_exist after insert on floor.notifications referencing new table as added
  for each statement execute function public.notifications_references_exist();
\copy (select * from public.notifications) to '$work/n.bin' (format binary)
\copy (select * from public.notification_guests) to '$work/g.bin' (format binary)
\copy (select * from public.commune_events) to '$work/e.bin' (format binary)
checkpoint;
SQL
t0=$(busy)
psql_bench <<SQL
\copy floor.notifications from '$work/n.bin' (format binary)
\copy floor.notification_guests from '$work/g.bin' (format binary)
\copy floor.commune_events from '$work/e.bin' (format binary)
SQL
t1=$(busy)
rows=$(psql_bench -Atc "select count(*) from floor.notifications")
pg_us=$(( (t1 - t0) * tick_us / rows ))
psql_bench -c "drop schema floor cascade" -c "checkpoint" # its WAL written out now, not during the next benchmark

# --- Redis ------------------------------------------------------------------------------------------------------
echo "[bench] storage floor: Redis" >&2
entry=$(redis-cli -p "$redis_port" --scan --pattern 'luutru:idem:*' | head -1 || true)
idem_len=$( [ -n "$entry" ] && redis-cli -p "$redis_port" strlen "$entry" || echo 250)
# The buffered payload is the notification with its guests as JSON, empty fields left out.
payload_len=$(psql_bench -Atc "select coalesce(avg(length(json_strip_nulls(row_to_json(n))::text) + length(json_strip_nulls(row_to_json(g))::text)), 900)::int
  from (select * from notifications limit 1000) n join notification_guests g on g.notification_id = n.id")
# A database of its own (9), so the server's buffer in database 0 is left alone.
r() { redis-cli -p "$redis_port" -n 9 "$@"; }
r flushdb >/dev/null
payload=$(head -c "$payload_len" /dev/zero | tr '\0' 'p'); answer=$(head -c "$idem_len" /dev/zero | tr '\0' 'a')
n=100000; batch=28
for _ in $(seq 1 $(( n / 500 + 1 ))); do echo "XREADGROUP GROUP g c COUNT 500 NOACK STREAMS floor:s >"; done > "$work/drain.txt"
# No AOF rewrite during the measurement: its cost grows with what the run left in Redis, and this is a floor.
rewrite=$(redis-cli -p "$redis_port" config get auto-aof-rewrite-percentage | tail -1)
redis-cli -p "$redis_port" config set auto-aof-rewrite-percentage 0 >/dev/null
aof_done() { redis-cli -p "$redis_port" info persistence | grep -q '^aof_rewrite_in_progress:0'; }
for _ in $(seq 1 120); do aof_done && break; sleep 0.5; done
bench() { redis-benchmark -p "$redis_port" --dbnum 9 -n "$n" -P "$batch" -c 2 -r 100000000 -q "$@" >/dev/null; }
t0=$(busy)
bench XADD floor:s '*' payload "$payload" &
bench SET floor:idem:__rand_int__ "$answer" EX 86400 &
bench INCR floor:counter &
bench HSET floor:staying:__rand_int__ 01a2064404f67418bc9a3907765abf70 "e:0193a000000070008000000000000001|1795574234" &
wait
r XGROUP CREATE floor:s g 0 >/dev/null
r < "$work/drain.txt" > /dev/null
r XTRIM floor:s MAXLEN 0 >/dev/null
t1=$(busy)
redis_us=$(( (t1 - t0) * tick_us / n ))
r flushdb >/dev/null
# The AOF grew by the measurement: rewrite it now, so that the next benchmark does not pay for it.
redis-cli -p "$redis_port" bgrewriteaof >/dev/null
sleep 0.5; for _ in $(seq 1 120); do aof_done && break; sleep 0.5; done
redis-cli -p "$redis_port" config set auto-aof-rewrite-percentage "$rewrite" >/dev/null

# --- The ceiling ------------------------------------------------------------------------------------------------
# The machine's CPU is fixed: the bare endpoint spent bare_us of it per request (Kestrel, JSON, wrk itself) with the
# machine bare_busy % busy; an intake request spends at least that plus both floors, so even using the whole
# machine it reaches at most (100 / bare_busy) * bare_us / (bare_us + pg_us + redis_us) of the bare endpoint's rate.
ceiling=$(echo "scale=1; 100 * $bare_us / ($bare_us + $pg_us + $redis_us) * 100 / $bare_busy" | bc)
cat >> "$results" <<MD

## The most this machine allows (scripts/bench-floor.sh)

What storing one notification costs the machine at the very least (busy CPU from /proc/stat: the storage server,
its client, the kernel), against what a bare endpoint's request cost it during its run (Kestrel, JSON, wrk):

| per notification | machine CPU |
| --- | --- |
| bare endpoint request (the machine $bare_busy % busy during that run) | $bare_us µs |
| PostgreSQL: psql COPYing its rows from a file into the same tables, indexes and reference check ($rows notifications) | $pg_us µs |
| Redis: redis-benchmark sending XADD ($payload_len B), SET ($idem_len B), INCR, HSET, $batch at a time; read back 500 at a time, trimmed | $redis_us µs |

An intake request costs at least the sum of the three before any validation, authentication, serialization or
the drain's own work, so even with the whole machine busy it reaches at most **$ceiling %** of the bare
endpoint's rate here.
MD
echo "[bench] ceiling for the intake on this machine: $ceiling % of the bare endpoint" >&2
