#!/usr/bin/env bash
# What the register's table layout costs PostgreSQL per notification, apart from the server: the rows of the last
# `make bench` run (its database, left running) COPYed by psql from a file into copies of notifications and guests,
# as the machine's busy CPU per notification (/proc/stat, as bench-floor.sh). Variants, in the order given:
#   plain       unpartitioned copies with the same indexes
#   part        partitioned by month of received_at, as the register is
#   partlean    partitioned, with a BRIN index on received_at instead of the b-tree
# each with -nofk: without the guests' foreign key to notifications (the register has none: see DEVELOPERS.md), and
# -nogin: without the trigram index on guests' folded names (police search by name), -pending64: that index with a
# 64 MB pending list (GIN's fast update; the default 4 MB), -noref: without the notifications' foreign keys to communes and
# establishments (checked by PostgreSQL row by row), -stmtref: those references checked once per statement instead (the
# register's own trigger function, over the statement's new rows); and, apart, the live events:
#   events      commune_events as it is (partitioned by month, payload jsonb)
#   events-text the same with the payload as text
# Alternate the variants (the VM drifts): bash scripts/bench-copy.sh plain part-nofk plain part-nofk
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/infra.sh env bench)"
pg_port="${LuuTru__Database__ConnectionString#*Port=}"; pg_port="${pg_port%%;*}"
export PGPASSWORD=luutru-dev
P() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$pg_port" -U luutru -d luutru_bench -v ON_ERROR_STOP=1 -q "$@"; }
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
P <<SQL
\copy (select * from public.notifications) to '$W/n.bin' (format binary)
\copy (select * from public.notification_guests) to '$W/g.bin' (format binary)
\copy (select * from public.commune_events) to '$W/e.csv' (format csv)
SQL
rows=$(P -Atc "select count(*) from public.notifications")
setup() { # $1 = plain|part|partlean
P <<SQL
drop schema if exists exp cascade; create schema exp;
SQL
if [ "${1%-text}" = events ]; then
P <<SQL
create table exp.commune_events (like public.commune_events including all) partition by range (occurred_at);
create table exp.commune_events_p partition of exp.commune_events for values from ('2000-01-01') to ('2100-01-01');
SQL
[ "$1" = events ] || P -c "alter table exp.commune_events alter column payload type text"
P -c checkpoint
return
fi
if [ "$1" = plain ]; then
P <<SQL
create table exp.notifications (like public.notifications including all);
create table exp.notification_guests (like public.notification_guests including all);
SQL
else
P <<SQL
create table exp.notifications (like public.notifications including all) partition by range (received_at);
create table exp.notification_guests (like public.notification_guests including all) partition by range (received_at);
create table exp.notifications_p partition of exp.notifications for values from ('2000-01-01') to ('2100-01-01');
create table exp.notifications_d partition of exp.notifications default;
create table exp.notification_guests_p partition of exp.notification_guests for values from ('2000-01-01') to ('2100-01-01');
create table exp.notification_guests_d partition of exp.notification_guests default;
SQL
fi
if [ "$1" = partlean ]; then
P <<SQL
drop index exp.notifications_received_at_idx;
create index on exp.notifications using brin (received_at);
SQL
fi
}
for variant in "$@"; do
  base="${variant%%-*}"; case "$variant" in events-text*) base=events-text ;; esac
  setup "$base"
  if [ "${base%-text}" = events ]; then
    t0=$(busy)
    P -c "\\copy exp.commune_events from '$W/e.csv' (format csv)"
    t1=$(busy)
    echo "$variant: $(( (t1 - t0) * tick_us / rows )) µs per notification ($rows)"
    continue
  fi
  case "$variant" in *-stmtref*) P -c "create trigger references_exist after insert on exp.notifications referencing new table as added for each statement execute function public.notifications_references_exist()" ;; esac
  case "$variant" in *-noref*|*-stmtref*) ;; *) P -c "alter table exp.notifications add foreign key (commune_code) references public.communes (code), add foreign key (establishment_id) references public.establishments (id)" -c checkpoint ;; esac
  case "$variant" in *-nofk*) ;; *) P -c "alter table exp.notification_guests add foreign key (notification_id, received_at) references exp.notifications (id, received_at)" -c checkpoint ;; esac
  case "$variant" in *-nogin*) P -c "drop index exp.notification_guests_name_key_idx" ;; esac
  case "$variant" in *-pending64*) P -c "do \$\$ declare i regclass; begin for i in select indexrelid::regclass from pg_index where indrelid = 'exp.notification_guests_p'::regclass and indexrelid::regclass::text like '%name_key%' loop execute format('alter index %s set (gin_pending_list_limit = 65536)', i); end loop; end \$\$" ;; esac
  t0=$(busy)
  P <<SQL
\copy exp.notifications from '$W/n.bin' (format binary)
\copy exp.notification_guests from '$W/g.bin' (format binary)
SQL
  t1=$(busy)
  echo "$variant: $(( (t1 - t0) * tick_us / rows )) µs per notification ($rows)"
done
P -c "drop schema exp cascade" -c checkpoint
