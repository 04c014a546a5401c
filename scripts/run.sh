#!/usr/bin/env bash
# `make run`: the whole system on this machine. Installs PostgreSQL 15 and Redis if missing, starts private
# instances (scripts/infra.sh, profile `run`), builds and starts the server with demo data, prints the URLs and
# demo logins. Ctrl-C stops the server; `make stop` stops the databases. Safe to re-run.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

PORT="${LUUTRU_HTTP_PORT:-8080}"
KBTT_PORT="${LUUTRU_KBTT_PORT:-8081}"
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed (dotnet on PATH): see README." >&2; exit 1; }

scripts/infra.sh up run
eval "$(scripts/infra.sh env run)"

source scripts/lib.sh
signing_key
export LuuTru__Demo__Enabled="${LuuTru__Demo__Enabled:-true}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "Port $PORT is already in use: stop what runs there or set LUUTRU_HTTP_PORT." >&2; exit 1
fi

scripts/web.sh
echo "[run] building the server" >&2
dotnet build src/CuTru.LuuTru.Server -c Release -nologo -v quiet -clp:NoSummary >/dev/null

start_standin

dll="src/CuTru.LuuTru.Server/bin/Release/net10.0/CuTru.LuuTru.Server.dll"
# Background jobs of a script ignore SIGINT, so Ctrl-C reaches the server through the trap below (SIGTERM).
(cd src/CuTru.LuuTru.Server && exec dotnet "$REPO/$dll" --urls "http://127.0.0.1:$PORT") &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; [ -n "$standin" ] && kill $standin 2>/dev/null; echo; echo "Server stopped. The databases keep running: make stop stops them."; exit 0' INT TERM

for _ in $(seq 1 120); do
  if ! kill -0 $server 2>/dev/null; then wait $server; exit $?; fi
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done

banner "http://127.0.0.1:$PORT"
cat <<BANNER
  Ctrl-C stops the server; make stop stops PostgreSQL and Redis.

BANNER
wait $server
[ -n "$standin" ] && kill $standin 2>/dev/null
