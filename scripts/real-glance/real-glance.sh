#!/bin/bash
# A real OpenStack Glance (Debian's glance-api) on 127.0.0.1, offline, as the
# "real" side of `npm run test:drift`: sqlite database, file store, and
# tokenshim.py (beside this script) standing in for Keystone with three fixed
# tokens: admin-token, user-token, other-token (the mock's Glance fixtures use
# the same tokens and projects). Each start begins with an empty Glance.
#
# Usage: real-glance.sh start|stop|status
#   PORT   port to serve on (default 19393)
#   R      state directory (default ${TMPDIR:-/tmp}/image-api-mocks-real-glance)
#   METADEFS=1  load Debian's metadata definitions as devstack does (Tempest needs them)
# Installs glance-api with apt-get when it is missing (needs root; minutes).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
R=${R:-${TMPDIR:-/tmp}/image-api-mocks-real-glance}
PORT=${PORT:-19393}
URL="http://127.0.0.1:$PORT"

install() {
  command -v glance-api >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "real-glance: glance-api is not installed; run as root once (apt-get install glance-api python3-glance)" >&2
    return 1
  fi
  echo "real-glance: installing glance-api (Debian packages, a few minutes the first time)" >&2
  { apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends glance-api python3-glance; } >/dev/null
}

configure() {
  rm -rf "$R"; mkdir -p "$R"/{images,staging,tasks,log,cache,lock}
  cp "$HERE/tokenshim.py" "$R/"
  cp /etc/glance/glance-api-paste.ini "$R/paste.ini"
  cat >> "$R/paste.ini" <<'EOP'

[pipeline:glance-api-shim]
pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler tokenshim context rootapp

[filter:tokenshim]
paste.filter_factory = tokenshim:factory
EOP
  cat > "$R/glance-api.conf" <<EOC
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $PORT
workers = 1
debug = false
log_file = $R/log/glance-api.log
node_staging_uri = file://$R/staging
image_cache_dir = $R/cache
lock_path = $R/lock
[database]
connection = sqlite:///$R/glance.sqlite
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $R/images/
[paste_deploy]
flavor = shim
config_file = $R/paste.ini
[oslo_concurrency]
lock_path = $R/lock
[oslo_policy]
policy_file = $R/policy.yaml
[task]
work_dir = $R/tasks
EOC
  # PCD and the API reference make deactivate/reactivate admin-only
  printf '"deactivate": "role:admin"\n"reactivate": "role:admin"\n' > "$R/policy.yaml"
}

answers() { node -e "fetch(process.argv[1]).then(()=>process.exit(0),()=>process.exit(1))" "$URL/" 2>/dev/null; }

start() {
  install || exit 1
  stop
  configure
  glance-manage --config-file "$R/glance-api.conf" db_sync > "$R/log/db_sync.log" 2>&1 ||
    { echo "real-glance: db_sync failed, see $R/log/db_sync.log" >&2; exit 1; }
  # a session of its own, so stop can end glance-api and its workers as one process group
  # (the shell setsid runs is the session leader: its $$ is the process group glance-api keeps)
  (cd "$R" && PYTHONPATH="$R" setsid sh -c 'echo $$ > glance.pid; exec glance-api --config-file glance-api.conf' \
    > "$R/log/stdout.log" 2>&1 &)
  for _ in $(seq 120); do
    answers && break
    sleep 0.5
  done
  answers || { echo "real-glance: no answer on $URL, see $R/log/" >&2; stop; exit 1; }
  if [ "${METADEFS:-0}" = 1 ]; then
    glance-manage --config-file "$R/glance-api.conf" db_load_metadefs /etc/glance/metadefs > "$R/log/metadefs.log" 2>&1 ||
      { echo "real-glance: db_load_metadefs failed, see $R/log/metadefs.log" >&2; stop; exit 1; }
  fi
  echo "real glance-api on $URL (state in $R)"
}

stop() {
  [ -s "$R/glance.pid" ] || return 0
  local pgid; pgid=$(cat "$R/glance.pid")
  kill -TERM -- "-$pgid" 2>/dev/null
  for _ in $(seq 20); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pgid" 2>/dev/null
  rm -f "$R/glance.pid"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) answers && echo "running on $URL" || { echo "not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
