#!/usr/bin/env bash
# Builds the browser app (clients/web: TypeScript, Vite 7) into the server's static files
# (src/CuTru.LuuTru.Server/wwwroot). `scripts/web.sh test` also runs its unit tests (vitest).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO/clients/web"
log() { printf '\033[1;34m[web]\033[0m %s\n' "$*" >&2; }

command -v node >/dev/null 2>&1 || { echo "[web] Node.js 20 or later is needed (apt-get install nodejs npm, or NodeSource)" >&2; exit 1; }
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || { echo "[web] Node.js $major is too old: Vite 7 needs 20 or later" >&2; exit 1; }

# Install the locked versions, only when the lock file changed since the last install. (`npm install --no-save`
# rather than `npm ci`: the npm here writes lock files without other platforms' optional packages, which `npm ci`
# then refuses; with an existing lock file `npm install` installs exactly what it pins and changes nothing.)
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing the locked packages"
  npm install --no-save --no-audit --no-fund --loglevel=error
fi
if [ "${1:-}" = test ]; then
  log "unit tests (vitest)"
  npx vitest run --reporter=dot
fi
log "building into src/CuTru.LuuTru.Server/wwwroot"
npx tsc --noEmit
npx vite build --logLevel warn
