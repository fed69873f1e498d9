#!/usr/bin/env bash
# Builds the unchanged Dockerfile with buildah and runs the image, without a
# Docker engine or an image registry: the base image the Dockerfile names is
# assembled locally from a minimal Debian (debootstrap, from this machine's own
# Debian mirror) plus this machine's Node.js, then tagged with that name.
# Checks: the build succeeds, the image runs as a non-root user with only
# production dependencies, exposes 8080, declares the /data volume, and both
# the server and the image's own HEALTHCHECK command answer.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${IAM_DOCKER_WORK:-/tmp/iam-docker}
base=docker.io/library/node:20-bookworm-slim
image=localhost/image-api-mocks:ci
mkdir -p "$work"

say() { printf '[dockerfile-check] %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
  say "installing buildah and debootstrap"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    buildah debootstrap >/dev/null
fi

# Every stage must start from the base this script knows how to assemble.
froms=$(awk 'toupper($1)=="FROM"{print $2}' Dockerfile | sort -u | grep -v -E '^(build|runtime)$' || true)
[ "$froms" = "node:20-bookworm-slim" ] || fail "Dockerfile bases are '$froms'; this check assembles node:20-bookworm-slim only"

# chroot isolation: this machine has no usable cgroup setup for an OCI runtime.
export BUILDAH_ISOLATION=chroot
bh() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }

if ! bh inspect --type image "$base" >/dev/null 2>&1; then
  rootfs="$work/rootfs"
  if [ ! -x "$rootfs/usr/bin/apt-get" ]; then
    mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$mirror" ] || fail "no Debian mirror found in this machine's apt sources"
    say "debootstrap bookworm (minbase)"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
  fi
  say "adding this machine's Node.js $(node --version) as /usr/local/bin/node, and user node (1000)"
  node_bin=$(command -v node)
  npm_dir=$(npm root -g)/npm
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules"
  cp "$node_bin" "$rootfs/usr/local/bin/node"
  rm -rf "$rootfs/usr/local/lib/node_modules/npm"
  cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" sh -c 'getent passwd node >/dev/null || { groupadd -g 1000 node && useradd -u 1000 -g node -m -s /bin/sh node; }'
  # The machine reaches the npm registry through its own certificate authority;
  # the base image trusts what the machine trusts, as a real one trusts the public CAs.
  extra_env=()
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cp "$NODE_EXTRA_CA_CERTS" "$rootfs/usr/local/share/ca-certificates/machine-ca.crt"
    extra_env=(--env NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/machine-ca.crt)
  fi
  ctr=$(bh from scratch)
  bh copy "$ctr" "$rootfs" / >/dev/null
  bh config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$(node --version | tr -d v)" "${extra_env[@]}" --cmd node "$ctr"
  bh commit --quiet --format docker "$ctr" "$base" >/dev/null
  bh rm "$ctr" >/dev/null
fi

say "buildah build (the Dockerfile as it is)"
bh build --quiet --pull=never --format docker -t "$image" -f Dockerfile . >/dev/null

config=$(bh inspect --type image "$image")
field() { node -e 'const c=JSON.parse(require("fs").readFileSync(0,"utf8")).Docker.config; const v=eval("c."+process.argv[1]); process.stdout.write(typeof v==="string"?v:JSON.stringify(v??null))' "$1" <<<"$config"; }
user=$(field User)
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "image runs as '$user', not as an unprivileged user"
field ExposedPorts | grep -q '"8080/tcp"' || fail "8080 is not exposed"
field Volumes | grep -q '"/data"' || fail "/data is not a volume"
health=$(field Healthcheck.Test)
[ "$health" != null ] || fail "no HEALTHCHECK"
say "image: user $user, exposes 8080, volume /data, healthcheck $(field Healthcheck.Interval | awk '{printf "%ss", $1/1e9}')"

ctr=$(bh from "$image")
cleanup() {
  # each may have stopped already; that is no failure
  if [ -n "${server:-}" ]; then kill -- "-$server" 2>/dev/null || true; fi
  if [ -n "${recorder:-}" ]; then kill -- "-$recorder" 2>/dev/null || true; fi
  bh rm "$ctr" >/dev/null 2>&1 || true
}
trap cleanup EXIT

uid=$(bh run "$ctr" -- id -u) || fail "cannot run a command in the image"
[[ "$uid" =~ ^[0-9]+$ && "$uid" != 0 ]] || fail "processes in the container run as uid '$uid', not unprivileged"
bh run "$ctr" -- sh -c 'test ! -e node_modules/vitest && test ! -e node_modules/typescript && test -d node_modules/express' ||
  fail "the final stage must hold production dependencies only"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
say "starting the image's CMD on port $port"
setsid buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs run --env PORT="$port" "$ctr" \
  -- node dist/main.js >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/__admin/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; fail "the server exited"; }
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/__admin/health" || { cat "$work/server.log"; fail "no answer on /__admin/health"; }
echo
# Bodies are read whole before they are matched: `curl | grep -q` fails the pipe (curl error 23) when
# grep has its match and exits while curl still writes the rest.
body=$(curl -fsS -H 'MC-Api-Key: mc-demo-key' "http://127.0.0.1:$port/api/v1/services/stackpath/test-area/images") &&
  grep -q '"recordCount": 2' <<<"$body" || fail "the CloudMC seed example does not answer"

body=$(curl -fsS "http://127.0.0.1:$port/__admin/") && grep -qi '<html' <<<"$body" ||
  fail "the web console is not in the image"

say "running the image's own HEALTHCHECK command inside the container"
mapfile -t check < <(node -e 'const t=JSON.parse(process.argv[1]); if(t[0]!=="CMD") process.exit(3); for (const a of t.slice(1)) console.log(a)' "$health")
bh run --env PORT="$port" "$ctr" -- "${check[@]}" || fail "HEALTHCHECK command failed"
owner=$(bh run "$ctr" -- stat -c %U /data/cloudmc.json) || fail "the store was not written to /data"
[ "$owner" = "$user" ] || fail "store file owned by '$owner', expected '$user'"
say "every CLI command in the image: --help, drift (with its deliberate differences), record, record import"
help=$(bh run "$ctr" -- node dist/main.js --help) || fail "image-api-mocks --help"
for cmd in serve record drift; do grep -q "^  $cmd" <<<"$help" || fail "--help does not list '$cmd'"; done
bh run "$ctr" -- node -e "import('/app/dist/drift/deliberate.js').then(m => process.exit(m.loadDeliberate('glance').length > 0 ? 0 : 1))" ||
  fail "drift/deliberate/ is not in the image (drift would report the deliberate differences as drift)"
bh run "$ctr" -- node dist/main.js drift --provider cloudmc --real "http://127.0.0.1:$port" --token mc-demo-key \
  --mock-fixtures --quiet --json /tmp/drift.json >"$work/drift.log" 2>&1 || {
  cat "$work/drift.log"
  fail "drift (the image's mock against the image's served mock) failed or found drift"
}
rport=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
setsid buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs run "$ctr" \
  -- node dist/main.js record --provider cloudmc --target "http://127.0.0.1:$port" --host 127.0.0.1 --port "$rport" \
  --out /tmp/recordings.jsonl >"$work/record.log" 2>&1 &
recorder=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null -H 'MC-Api-Key: mc-demo-key' "http://127.0.0.1:$rport/api/v1/services/stackpath/test-area/images" 2>/dev/null && break
  kill -0 "$recorder" 2>/dev/null || { cat "$work/record.log"; fail "record exited"; }
  sleep 0.2
done
# the exchange is appended once the target's answer has ended: wait for it before stopping record
for _ in $(seq 1 25); do
  bh run "$ctr" -- test -s /tmp/recordings.jsonl && break
  sleep 0.2
done
kill -- "-$recorder" 2>/dev/null || true
wait "$recorder" 2>/dev/null || true
bh run "$ctr" -- node dist/main.js record import /tmp/recordings.jsonl --fixture /tmp/fixture.json | grep -q 'cloudmc images written' ||
  fail "record import of what record wrote"
size() { bh images --format '{{.Size}}' "$1" | head -1; }
say "size: $(size "$image") ($(size "$base") of it the base image as assembled here)"
say "OK: image built and healthy; store written to /data by $owner; serve, drift, record and record import run"
