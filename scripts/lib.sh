#!/usr/bin/env bash
# What `make run` and `make cluster` share (sourced, after scripts/infra.sh env run): the signing key, the KBTT
# stand-in, the banner.

# A signing key for access tokens, made once and kept with the local data (never committed).
signing_key() {
  if [ -z "${LuuTru__Auth__SigningKey:-}" ]; then
    keyfile="$LUUTRU_STATE_DIR/signing-key"
    [ -s "$keyfile" ] || { head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$keyfile"; chmod 600 "$keyfile"; }
    export LuuTru__Auth__SigningKey="$(cat "$keyfile")"
  fi
}

# The national system (KBTT) cannot be reached from here: a local stand-in (tests/CuTru.LuuTru.KbttStandIn) takes its
# place, the relay files with it, and the demo hotel is linked to its account. An upstream set by the caller is kept.
# Sets $standin to its process (empty when not started).
start_standin() {
  standin=""
  if [ -z "${LuuTru__Kbtt__UpstreamBaseUrl:-}" ]; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$KBTT_PORT") 2>/dev/null; then
      echo "Port $KBTT_PORT (the KBTT stand-in) is already in use: stop what runs there or set LUUTRU_KBTT_PORT." >&2; exit 1
    fi
    echo "[${LUUTRU_SCRIPT:-run}] building the KBTT stand-in" >&2
    dotnet build tests/CuTru.LuuTru.KbttStandIn -c Release -nologo -v quiet -clp:NoSummary >/dev/null
    KBTT_STANDIN_ACCOUNTS="ks-hoguom:demo-kbtt-2026:101:101900070" \
      dotnet tests/CuTru.LuuTru.KbttStandIn/bin/Release/net10.0/CuTru.LuuTru.KbttStandIn.dll --urls "http://127.0.0.1:$KBTT_PORT" >/dev/null 2>&1 &
    standin=$!
    export LuuTru__Kbtt__UpstreamBaseUrl="http://127.0.0.1:$KBTT_PORT"
    export LuuTru__Demo__KbttUsername="ks-hoguom" LuuTru__Demo__KbttPassword="demo-kbtt-2026"
  fi
}

# The URLs and demo logins, for the hub served at $1.
banner() {
  local base="$1"
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
BANNER
}
