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

# A signing key for access tokens, made once and kept with the local data (never committed).
if [ -z "${LuuTru__Auth__SigningKey:-}" ]; then
  keyfile="$LUUTRU_STATE_DIR/signing-key"
  [ -s "$keyfile" ] || { head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$keyfile"; chmod 600 "$keyfile"; }
  export LuuTru__Auth__SigningKey="$(cat "$keyfile")"
fi
export LuuTru__Demo__Enabled="${LuuTru__Demo__Enabled:-true}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "Port $PORT is already in use: stop what runs there or set LUUTRU_HTTP_PORT." >&2; exit 1
fi

scripts/web.sh
echo "[run] building the server" >&2
dotnet build src/CuTru.LuuTru.Server -c Release -nologo -v quiet -clp:NoSummary >/dev/null

# The national system (KBTT) cannot be reached from here: a local stand-in (tests/CuTru.LuuTru.KbttStandIn) takes its
# place, the relay files with it, and the demo hotel is linked to its account. An upstream set by the caller is kept.
standin=""
if [ -z "${LuuTru__Kbtt__UpstreamBaseUrl:-}" ]; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$KBTT_PORT") 2>/dev/null; then
    echo "Port $KBTT_PORT (the KBTT stand-in) is already in use: stop what runs there or set LUUTRU_KBTT_PORT." >&2; exit 1
  fi
  echo "[run] building the KBTT stand-in" >&2
  dotnet build tests/CuTru.LuuTru.KbttStandIn -c Release -nologo -v quiet -clp:NoSummary >/dev/null
  KBTT_STANDIN_ACCOUNTS="ks-hoguom:demo-kbtt-2026:101:101900070" \
    dotnet tests/CuTru.LuuTru.KbttStandIn/bin/Release/net10.0/CuTru.LuuTru.KbttStandIn.dll --urls "http://127.0.0.1:$KBTT_PORT" >/dev/null 2>&1 &
  standin=$!
  export LuuTru__Kbtt__UpstreamBaseUrl="http://127.0.0.1:$KBTT_PORT"
  export LuuTru__Demo__KbttUsername="ks-hoguom" LuuTru__Demo__KbttPassword="demo-kbtt-2026"
fi

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

base="http://127.0.0.1:$PORT"
cat <<BANNER

  CuTru.LuuTru is running.
    Police dashboard $base/   (sign in as canbo@ or tinh@; the front desk as letan@)
    Household form   $base/#/khai-bao      receipt status $base/#/tra-cuu
    Apply online     $base/#/dang-ky-co-so
    API reference   $base/docs
    OpenAPI         $base/openapi/v1.json
    Health          $base/health/ready

  Demo logins (password for all: ${LuuTru__Demo__Password:-demo-matkhau-2026})
    admin                admin@demo.luutru.vn
    commune officer      canbo@demo.luutru.vn   (Phường Hoàn Kiếm, Hà Nội)
    province supervisor  tinh@demo.luutru.vn    (Thành phố Hà Nội)
    establishment staff  letan@demo.luutru.vn   (Khách sạn Hồ Gươm)
  Demo establishment API key (X-Api-Key):
    ${LuuTru__Demo__ApiKey:-lt_demo0001_DemoKeyForLocalUseOnly0000000000}

  National system (KBTT): ${LuuTru__Kbtt__UpstreamBaseUrl}$([ -n "$standin" ] && echo " (a local stand-in; the demo hotel is linked to it:
    its guests are filed there by the relay, see $LuuTru__Kbtt__UpstreamBaseUrl/_standin/filings)")
    KBTT-compatible intake for existing hotel software: $base/kbtt (account: the API key's prefix, password: the key)

  Try:  curl -s -X POST $base/api/v1/auth/login -H 'Content-Type: application/json' \\
          -d '{"email":"canbo@demo.luutru.vn","password":"${LuuTru__Demo__Password:-demo-matkhau-2026}"}'
  CLI:  make tool && dotnet tool install --global --add-source artifacts/tools CuTru.LuuTru.Cli
        luutru login --server $base --api-key <the key above>
  Ctrl-C stops the server; make stop stops PostgreSQL and Redis.

BANNER
wait $server
[ -n "$standin" ] && kill $standin 2>/dev/null
