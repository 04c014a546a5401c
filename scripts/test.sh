#!/usr/bin/env bash
# `make test`: the same infrastructure as `make run` on other ports (profile `test`), then every test.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

LUUTRU_NEED_BROWSER=1 LUUTRU_NEED_YAMLLINT=1 LUUTRU_NEED_HAPROXY=1 scripts/infra.sh install
# The deployment files are part of what is tested: linted here, their settings checked against the server's by a test.
yamllint -s -c .yamllint deploy/k8s deploy/prometheus deploy/compose.yaml
scripts/web.sh test
scripts/infra.sh up test
scripts/infra.sh up chaos
export LUUTRU_CHAOS_PG="$(scripts/infra.sh env chaos | sed -n "s/^export LuuTru__Database__ConnectionString='\(.*\)'$/\1/p")"
eval "$(scripts/infra.sh env test)"
export LUUTRU_TEST_ARTIFACTS="${LUUTRU_TEST_ARTIFACTS:-$REPO/artifacts/test}"
mkdir -p "$LUUTRU_TEST_ARTIFACTS"

log="$LUUTRU_TEST_ARTIFACTS/dotnet-test.log"
set +e
dotnet test CuTru.LuuTru.sln -nologo --logger "console;verbosity=normal" ${LUUTRU_TEST_FILTER:+--filter "$LUUTRU_TEST_FILTER"} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# A failed test is named again at the end, with its message and the top of its stack, so a CI log that keeps only
# its tail still says which test failed and why.
if [ "$status" -ne 0 ]; then
  awk '/^[[:space:]]+Failed [A-Za-z]/ {on=1; n=0; st=-1; print "----"}
       on {print; n++; if (st > 0) st--}
       on && /^[[:space:]]+Stack Trace:/ {st=6}
       on && (st == 0 || n > 40) {on=0}' "$log" | head -200
fi

# One closing line in the plain form CI reads: "tests: N passed, N failed, N skipped" (summed over test projects).
count() { grep -E "^[[:space:]]+$1: *[0-9]+" "$log" | sed -E 's/[^0-9]*([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}'; }
if grep -qE '^Total tests:' "$log"; then
  echo "tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
fi
exit "$status"
