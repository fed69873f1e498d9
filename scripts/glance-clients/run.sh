#!/usr/bin/env bash
# The real OpenStack clients against the built mock: python-glanceclient
# (`glance`) and python-openstackclient (`openstack`, bare token and through
# the Keystone shim with a password login) run the issue-4 scenario: list
# past the page size, create, show by id and name, update name and
# properties, tag, upload and download with checksum check,
# deactivate/reactivate, delete. Exits non-zero on the first failure.
#
# Needs Debian's python3-glanceclient and python3-openstackclient (installed
# with apt-get when missing and running as root). Their scripts run
# /usr/bin/python3, which may differ from the python3 on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=/usr/bin/python3
export PATH="/usr/bin:$PATH"
unset OS_CLOUD OS_AUTH_URL OS_TOKEN OS_USERNAME OS_PASSWORD OS_PROJECT_NAME OS_PROJECT_ID 2>/dev/null || true

if ! [ -x /usr/bin/glance ] || ! [ -x /usr/bin/openstack ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "glance-clients: python3-glanceclient and python3-openstackclient are missing (install them as root)" >&2
    exit 1
  fi
  echo "installing python3-glanceclient python3-openstackclient (apt-get)"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    python3-glanceclient python3-openstackclient >/dev/null
fi
# the scenario runs the server as shipped: dist/ from the current sources
[ -n "${SKIP_BUILD:-}" ] || npm run build --silent

WORK=$(mktemp -d)
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE="http://127.0.0.1:$PORT"
PORT=$PORT HOST=127.0.0.1 MOCK_STORE=:memory: LOG_LEVEL=warn node dist/main.js >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for _ in $(seq 100); do
  $PY -c "import urllib.request,sys; urllib.request.urlopen('$BASE/versions', timeout=1)" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done

step() { printf '\n--- %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  printf '%s\n' '--- server log' >&2
  tail -20 "$WORK/server.log" >&2
  exit 1
}
# Both CLIs upload standard input whenever it is not a terminal, so every command runs with it
# closed (inside the substitution: closed outside, fd 0 would become the substitution's own pipe).
# run <description> <command...>: the command must exit 0; its output is kept in $OUT
run() {
  local what=$1
  shift
  if ! OUT=$("$@" 2>&1 0<&-); then
    printf '%s\n' "$OUT" >&2
    fail "$what (exit non-zero)"
  fi
}
# refuse <description> <expected text> <command...>: the command must fail and say so
refuse() {
  local what=$1 text=$2
  shift 2
  if OUT=$("$@" 2>&1 0<&-); then fail "$what (exit 0, expected a refusal)"; fi
  grep -qF -- "$text" <<<"$OUT" || { printf '%s\n' "$OUT" >&2; fail "$what (no '$text' in the output)"; }
}
has() { grep -qE -- "$2" <<<"$OUT" || { printf '%s\n' "$OUT" >&2; fail "$1 (output lacks /$2/)"; }; }
# the value column of a glance/openstack table row
cell() { awk -F'|' -v k="$1" '{ key=$2; gsub(/^ +| +$/, "", key) } key == k { v=$3; gsub(/^ +| +$/, "", v); print v; exit }' <<<"$OUT"; }
field() { $PY -c "import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print(v if not isinstance(v,(list,dict)) else json.dumps(v))" "$1" <<<"$OUT"; }

# What the API itself lists for a token (sorted ids): the truth the CLI lists are checked against.
api_ids() {
  $PY - "$BASE" "$1" <<'EOF'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
path, ids = '/v2/images?limit=1000', []
for _ in range(100):
    req = urllib.request.Request(base + path, headers={'X-Auth-Token': token})
    body = json.load(urllib.request.urlopen(req))
    ids += [i['id'] for i in body['images']]
    path = body.get('next')
    if not path:
        break
print('\n'.join(sorted(ids)))
EOF
}
table_ids() { grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' <<<"$OUT" | sort; }

head -c 3145728 /dev/urandom >"$WORK/data.bin"
MD5=$(md5sum "$WORK/data.bin" | cut -d' ' -f1)
SIZE=$(stat -c %s "$WORK/data.bin")
USER_IDS=$(api_ids user-token)
[ "$(wc -l <<<"$USER_IDS")" -gt 25 ] || fail "the fixtures should list more than one page (25) for user-token"

# ---------------------------------------------------------------- glance
G=(glance --os-image-url "$BASE" --os-auth-token user-token)
GA=(glance --os-image-url "$BASE" --os-auth-token admin-token)

step "glance image-list (page size 7: pages past the page size)"
run "glance image-list" "${G[@]}" image-list --page-size 7
[ "$(table_ids)" = "$USER_IDS" ] || fail "glance image-list does not list what the API lists"
echo "listed $(wc -l <<<"$USER_IDS") images"

step "glance image-create"
run "glance image-create" "${G[@]}" image-create --name glance-scenario --disk-format qcow2 \
  --container-format bare --property stage=created
GID=$(cell id)
[ -n "$GID" ] || fail "image-create printed no id"
has "image-create" '\| status +\| queued +\|'
has "image-create" '\| stage +\| created +\|'
echo "created $GID"

step "glance image-show"
run "glance image-show" "${G[@]}" image-show "$GID"
[ "$(cell name)" = glance-scenario ] || fail "image-show: name"

step "glance image-update (name and a property)"
run "glance image-update" "${G[@]}" image-update "$GID" --name glance-renamed --property stage=updated
[ "$(cell name)" = glance-renamed ] || fail "image-update: name"
[ "$(cell stage)" = updated ] || fail "image-update: property"

step "glance image-tag-update"
run "glance image-tag-update" "${G[@]}" image-tag-update "$GID" scenario-tag
run "glance image-show" "${G[@]}" image-show "$GID"
has "tag" '"scenario-tag"'

step "glance image-upload (chunked) and image-download"
run "glance image-upload" "${G[@]}" image-upload "$GID" --file "$WORK/data.bin"
run "glance image-show" "${G[@]}" image-show "$GID"
[ "$(cell status)" = active ] || fail "after upload: status $(cell status)"
[ "$(cell checksum)" = "$MD5" ] || fail "after upload: checksum $(cell checksum) != $MD5"
[ "$(cell size)" = "$SIZE" ] || fail "after upload: size"
[ "$(cell os_hash_algo)" = sha512 ] || fail "after upload: os_hash_algo"
run "glance image-download" "${G[@]}" image-download "$GID" --file "$WORK/glance-out.bin"
cmp -s "$WORK/data.bin" "$WORK/glance-out.bin" || fail "downloaded bytes differ"

step "glance image-deactivate / image-reactivate (admin)"
refuse "deactivate as a member" "403" "${G[@]}" image-deactivate "$GID"
run "glance image-deactivate" "${GA[@]}" image-deactivate "$GID"
run "glance image-show" "${G[@]}" image-show "$GID"
[ "$(cell status)" = deactivated ] || fail "deactivate: status"
refuse "download of a deactivated image" "403" "${G[@]}" image-download "$GID" --file "$WORK/refused.bin"
run "glance image-reactivate" "${GA[@]}" image-reactivate "$GID"
run "glance image-show" "${G[@]}" image-show "$GID"
[ "$(cell status)" = active ] || fail "reactivate: status"

step "glance image-delete"
run "glance image-delete" "${G[@]}" image-delete "$GID"
refuse "show after delete" "No image found with ID $GID" "${G[@]}" image-show "$GID"

# ------------------------------------------------------------- openstack
O=(openstack --os-auth-type admin_token --os-endpoint "$BASE/v2" --os-token user-token)
OA=(openstack --os-auth-type admin_token --os-endpoint "$BASE/v2" --os-token admin-token)

step "openstack image list"
run "openstack image list" "${O[@]}" image list -f value -c ID
[ "$(table_ids)" = "$USER_IDS" ] || fail "openstack image list does not list what the API lists"

step "openstack image create / show by name and id"
run "openstack image create" "${O[@]}" image create osc-scenario --disk-format raw --container-format bare \
  --property stage=created -f json
OID=$(field id)
[ "$(field status)" = queued ] || fail "create: status"
run "openstack image show (name)" "${O[@]}" image show osc-scenario -f json
[ "$(field id)" = "$OID" ] || fail "show by name: id"
run "openstack image show (id)" "${O[@]}" image show "$OID" -f json
[ "$(field name)" = osc-scenario ] || fail "show by id: name"

step "openstack image set (name, property, tag)"
run "openstack image set" "${O[@]}" image set --name osc-renamed --property stage=updated --tag osc-tag "$OID"
run "openstack image show" "${O[@]}" image show "$OID" -f json
[ "$(field name)" = osc-renamed ] || fail "set: name"
has "set: property" "stage.{1,6}updated"
has "set: tag" 'osc-tag'

step "openstack image create --file (upload) and image save (download)"
run "openstack image create --file" "${O[@]}" image create osc-data --disk-format raw --container-format bare \
  --file "$WORK/data.bin" -f json
DID=$(field id)
# like against a real Glance, create prints the record from before the upload; show has the result
run "openstack image show" "${O[@]}" image show "$DID" -f json
[ "$(field checksum)" = "$MD5" ] || fail "upload: checksum"
[ "$(field status)" = active ] || fail "upload: status"
[ "$(field size)" = "$SIZE" ] || fail "upload: size"
run "openstack image save" "${O[@]}" image save --file "$WORK/osc-out.bin" "$DID"
cmp -s "$WORK/data.bin" "$WORK/osc-out.bin" || fail "openstack image save: bytes differ"

step "openstack image set --deactivate / --activate (admin)"
run "openstack image set --deactivate" "${OA[@]}" image set --deactivate "$DID"
run "openstack image show" "${O[@]}" image show "$DID" -f value -c status
[ "$OUT" = deactivated ] || fail "deactivate: status $OUT"
run "openstack image set --activate" "${OA[@]}" image set --activate "$DID"
run "openstack image show" "${O[@]}" image show "$DID" -f value -c status
[ "$OUT" = active ] || fail "activate: status $OUT"

step "openstack image delete"
run "openstack image delete" "${O[@]}" image delete "$OID" "$DID"
refuse "show after delete" "No Image found" "${O[@]}" image show "$OID"

step "openstack through the Keystone shim (password login)"
KS=(env OS_AUTH_URL="$BASE/v3" OS_IDENTITY_API_VERSION=3 OS_USERNAME=demo OS_PASSWORD=demo-secret
  OS_PROJECT_NAME=demo OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_INTERFACE=public openstack)
run "openstack token issue" "${KS[@]}" token issue -f value -c project_id
[ "$OUT" = b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1 ] || fail "token issue: project $OUT"
run "openstack image list (password)" "${KS[@]}" image list -f value -c ID
[ "$(table_ids)" = "$USER_IDS" ] || fail "password login: image list differs from the API"
refuse "a wrong password" "401" env OS_AUTH_URL="$BASE/v3" OS_IDENTITY_API_VERSION=3 OS_USERNAME=demo \
  OS_PASSWORD=wrong OS_PROJECT_NAME=demo OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default \
  openstack image list

printf '\nglance-clients: all scenario steps passed\n'
