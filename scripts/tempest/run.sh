#!/usr/bin/env bash
# OpenStack's own conformance suite for the image API, against the mock or
# the real Glance, with one configuration (tempest.conf.in, accounts.yaml):
#
#   scripts/tempest/run.sh mock   the built mock, through its Keystone shim at /v3
#   scripts/tempest/run.sh real   Debian's glance-api (scripts/real-glance) behind
#                                 keystone-standin.py, metadefs loaded as devstack does
#
# Runs `tempest run --regex '^tempest\.api\.image\.v2'`, writes the passed
# test ids (sorted) to $TEMPEST_PASSED (default tempest-passed.txt), and for
# `mock` exits 1 when a test listed in baseline-real-glance.txt (what passes
# on the real Glance) did not pass. TEMPEST_CONCURRENCY (1): accounts.yaml has
# one admin and two members, enough for one worker. Installs python3-tempest with apt-get
# when missing (root). Everything listens on 127.0.0.1; every process it
# starts is stopped and its workspace removed at exit.
set -uo pipefail
cd "$(dirname "$0")/../.."
HERE=scripts/tempest
TARGET=${1:-mock}
PASSED=${TEMPEST_PASSED:-tempest-passed.txt}
BASELINE=$HERE/baseline-real-glance.txt
CONCURRENCY=${TEMPEST_CONCURRENCY:-1}

if ! command -v tempest >/dev/null; then
  if [ "$(id -u)" != 0 ]; then echo "tempest: python3-tempest is missing (install it as root)" >&2; exit 2; fi
  echo "installing python3-tempest (apt-get)"
  apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      python3-tempest >/dev/null || exit 2
fi

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_for() {
  for _ in $(seq 120); do
    node -e "fetch(process.argv[1]).then(()=>process.exit(0),()=>process.exit(1))" "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "tempest: nothing answers on $1" >&2
  return 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/iam-tempest-XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  [ "$TARGET" = real ] && R="$WORK/glance" PORT="${GLANCE_PORT:-0}" scripts/real-glance/real-glance.sh stop
  [ -n "${NAME:-}" ] && tempest workspace remove --name "$NAME" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

case "$TARGET" in
  mock)
    [ -n "${SKIP_BUILD:-}" ] || npm run build --silent || exit 2
    PORT=$(free_port)
    node dist/main.js --port "$PORT" --host 127.0.0.1 --store :memory: --log-level warn > "$WORK/mock.log" 2>&1 &
    PIDS+=($!)
    IDENTITY="http://127.0.0.1:$PORT"
    wait_for "$IDENTITY/__admin/health" || { cat "$WORK/mock.log" >&2; exit 2; }
    # a fresh Glance, as the real one starts: none of the fixture images (users and tokens stay)
    for collection in images members tasks cache; do
      node -e "fetch(process.argv[1],{method:'DELETE'}).then(r=>process.exit(r.status===204?0:1),()=>process.exit(1))" \
        "$IDENTITY/__admin/store/glance/$collection" || { echo "tempest: cannot empty glance/$collection" >&2; exit 2; }
    done
    ;;
  real)
    GLANCE_PORT=$(free_port)
    R="$WORK/glance" PORT=$GLANCE_PORT METADEFS=1 scripts/real-glance/real-glance.sh start || exit 2
    KEYSTONE_PORT=$(free_port)
    python3 "$HERE/keystone-standin.py" "$KEYSTONE_PORT" "http://127.0.0.1:$GLANCE_PORT" &
    PIDS+=($!)
    IDENTITY="http://127.0.0.1:$KEYSTONE_PORT"
    wait_for "$IDENTITY/v3" || exit 2
    ;;
  *) echo "usage: $0 mock|real" >&2; exit 2 ;;
esac

# a workspace of its own name: tempest keeps a registry of them in ~/.tempest
NAME=$(basename "$WORK")
(cd "$WORK" && tempest init --name "$NAME" tempest >/dev/null) || exit 2
sed -e "s#@IDENTITY@#$IDENTITY#" -e "s#@WORKSPACE@#$WORK/tempest#" -e "s#@ACCOUNTS@#$PWD/$HERE/accounts.yaml#" \
  "$HERE/tempest.conf.in" > "$WORK/tempest/etc/tempest.conf"

echo "tempest: image v2 tests against the $TARGET ($IDENTITY)"
(cd "$WORK/tempest" && tempest run --regex '^tempest\.api\.image\.v2' --concurrency "$CONCURRENCY" \
  --subunit > "$WORK/results.subunit" 2> "$WORK/tempest.err")
# TEMPEST_SUBUNIT=<file> keeps the whole result stream (subunit2pyunit < file shows each failure)
[ -n "${TEMPEST_SUBUNIT:-}" ] && cp "$WORK/results.subunit" "$TEMPEST_SUBUNIT"
# the ids of the passed tests, attributes ([id-...,smoke]) stripped
subunit2csv --no-passthrough < "$WORK/results.subunit" | python3 -c '
import csv, re, sys
for row in csv.reader(sys.stdin):
    if len(row) > 1 and row[1] == "success":
        print(re.sub(r"\[.*\]$", "", row[0]))
' | sort -u > "$PASSED"
subunit2pyunit < "$WORK/results.subunit" 2>&1 | grep -E '^(FAIL|ERROR):' | sed 's/\[.*\]$//' | sort -u > "$WORK/failed.txt" || true
echo "tempest: $(wc -l < "$PASSED") passed on the $TARGET (list in $PASSED)"
[ -s "$WORK/failed.txt" ] && { echo "failed or errored:"; cat "$WORK/failed.txt"; }

if [ "$TARGET" = mock ] && [ -f "$BASELINE" ]; then
  MISSING=$(comm -23 <(sort -u "$BASELINE") "$PASSED")
  if [ -n "$MISSING" ]; then
    echo "tempest: passes on the real Glance but not on the mock:" >&2
    echo "$MISSING" >&2
    exit 1
  fi
  echo "tempest: every test that passes on the real Glance passes on the mock"
fi
exit 0
