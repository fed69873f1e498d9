#!/bin/bash
# npm run test:drift: starts the project's own real Glance (Debian glance-api,
# offline), runs the Glance drift scenario with writes against it and a mock
# the check starts itself, and stops Glance again. Passes only when there is no
# drift beyond drift/deliberate/glance.json.
# Reports: $DRIFT_REPORT_DIR (default drift-report/) glance.json and glance.xml (JUnit).
# Exit: 0 no drift, 1 drift, 2 Glance could not be started or reached.
set -u
cd "$(dirname "$0")/../.."
GLANCE_PORT=${GLANCE_PORT:-19393}
OUT=${DRIFT_REPORT_DIR:-drift-report}

npm run build --silent || exit 2
PORT=$GLANCE_PORT scripts/real-glance/real-glance.sh start || exit 2
trap 'PORT=$GLANCE_PORT scripts/real-glance/real-glance.sh stop' EXIT

mkdir -p "$OUT"
node dist/main.js drift --provider glance --real "http://127.0.0.1:$GLANCE_PORT" --token user-token \
  --param admin-token=admin-token --param other-token=other-token \
  --allow-writes --json "$OUT/glance.json" --junit "$OUT/glance.xml"
