#!/usr/bin/env bash
# Sourced by the benchmark scripts (after `scripts/infra.sh env bench`).
#   bench_database NAME   a fresh database NAME on the bench PostgreSQL, LuuTru__Database__ConnectionString pointed at
#                         it; sets pg_port and PGPASSWORD for psql
#   bench_build_server    builds the server and sets SERVER_DIR and SERVER_DLL (run `dotnet $SERVER_DLL` from
#                         SERVER_DIR, the content root: appsettings.json and wwwroot)

bench_database() {
  export LuuTru__Database__ConnectionString="${LuuTru__Database__ConnectionString/Database=luutru_bench/Database=$1}"
  pg_port="${LuuTru__Database__ConnectionString#*Port=}"; pg_port="${pg_port%%;*}"
  export PGPASSWORD=luutru-dev
  psql -h 127.0.0.1 -p "$pg_port" -U luutru -d postgres -qc "drop database if exists $1 with (force)" -qc "create database $1" >/dev/null
}

# The plain Release build by default (JIT only, as deploy/Dockerfile publishes it); BENCH_READY_TO_RUN=1 publishes it
# ReadyToRun instead (precompiled code in the assemblies). Measured on 2026-11-30 (bench/README.md): it starts faster
# (ready in 2.5 s instead of 3.9 s) but neither the first report build nor live push in the first minute got faster,
# so it is not the default.
bench_build_server() {
  if [ "${BENCH_READY_TO_RUN:-0}" = 1 ]; then
    echo "[bench] publishing the server (Release, ReadyToRun)" >&2
    dotnet publish src/CuTru.LuuTru.Server -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      -o "$REPO/artifacts/publish/server" -nologo -v quiet -clp:NoSummary >/dev/null
    SERVER_DIR="$REPO/artifacts/publish/server"
    SERVER_DLL="CuTru.LuuTru.Server.dll"
  else
    echo "[bench] building the server (Release, no ReadyToRun)" >&2
    dotnet build src/CuTru.LuuTru.Server -c Release -nologo -v quiet -clp:NoSummary >/dev/null
    SERVER_DIR="$REPO/src/CuTru.LuuTru.Server"
    SERVER_DLL="bin/Release/net10.0/CuTru.LuuTru.Server.dll"
  fi
}
