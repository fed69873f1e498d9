#!/usr/bin/env bash
# The npm package as a user gets it: `npm pack` (prepack builds dist/), then a
# new project in a temporary directory installs the tarball and
#   - runs the README's vitest example and its globalSetup variant, copied
#     out of README.md ("From code": the ```ts blocks whose first line is
#     `// <file>.ts`), with vitest.config.ts as the README's comment says;
#   - typechecks them and deploy/testcontainers/mock.test.ts with
#     `tsc --noEmit` and skipLibCheck false, so every
#     published .d.ts and every type it imports must resolve from the
#     package's own dependencies;
#   - runs `npx image-api-mocks --help`, and starts the installed server on
#     127.0.0.1 to check the files it reads at run time were packed (the
#     console, the fixtures, the drift notes) and both probe paths answer.
# vitest, typescript and @types/node are installed at the versions this
# project's package-lock.json holds. No stdin; the temporary directory is
# removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

say() { printf '[pack-check] %s\n' "$*"; }
fail() {
  say "FAILED: $*"
  exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iam-pack-check.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

say "npm pack (prepack builds dist/)"
npm pack --silent --pack-destination "$tmp" >"$tmp/pack.log" 2>&1 || {
  cat "$tmp/pack.log"
  fail "npm pack"
}
tarball=$(ls "$tmp"/image-api-mocks-*.tgz)
listing=$(tar -tzf "$tarball")
for f in package/dist/index.js package/dist/index.d.ts package/dist/main.js package/public/console/index.html \
  package/drift/deliberate/glance.json package/fixtures package/schemas; do
  grep -q "^$f" <<<"$listing" || fail "the tarball lacks $f"
done
! grep -q '^package/\(src\|test\)/' <<<"$listing" || fail "the tarball holds src/ or test/"
say "$(basename "$tarball"): $(wc -l <<<"$listing") files, $(du -k "$tarball" | cut -f1) kB"

version() { node -p "require('$root/package-lock.json').packages['node_modules/$1'].version"; }
app=$tmp/app
mkdir "$app"
cd "$app"
cat >package.json <<'EOF'
{ "name": "pack-check-consumer", "private": true, "type": "module" }
EOF
say "a new project installs the tarball, vitest@$(version vitest), typescript@$(version typescript), @types/node@$(version @types/node)"
npm install --prefer-offline --no-audit --no-fund --loglevel=error \
  "$tarball" "vitest@$(version vitest)" "typescript@$(version typescript)" "@types/node@$(version @types/node)" \
  >"$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log"
  fail "npm install of the tarball"
}

# deploy/testcontainers/ is typechecked here too (it needs a Docker engine to
# run); its dependency is installed without install scripts (ssh2's optional
# native build is not needed for types).
testcontainers=12.2.0
say "and testcontainers@$testcontainers, for deploy/testcontainers/mock.test.ts (typechecked only)"
npm install --prefer-offline --no-audit --no-fund --loglevel=error --ignore-scripts "testcontainers@$testcontainers" \
  >"$tmp/install-tc.log" 2>&1 || {
  cat "$tmp/install-tc.log"
  fail "npm install testcontainers"
}
# not *.test.ts here, so vitest does not run it
cp "$root/deploy/testcontainers/mock.test.ts" testcontainers.example.ts

# The README's examples, file by file, exactly as they stand there.
node - "$root/README.md" <<'EOF'
const fs = require('node:fs');
const readme = fs.readFileSync(process.argv[2], 'utf8');
const wanted = ['images.test.ts', 'vitest.global-setup.ts', 'sandbox.test.ts'];
for (const [, name, body] of readme.matchAll(/```ts\n\/\/ ([\w.-]+\.ts)\b[^\n]*\n([\s\S]*?)```/g)) {
  if (wanted.includes(name)) fs.writeFileSync(name, `// copied from README.md\n${body}`);
}
const missing = wanted.filter((f) => !fs.existsSync(f));
if (missing.length) {
  console.error(`README.md has no \`\`\`ts block starting with // ${missing.join(', // ')}`);
  process.exit(1);
}
EOF
cat >vitest.config.ts <<'EOF'
import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { globalSetup: ['vitest.global-setup.ts'] } });
EOF
cat >tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "target": "ES2023",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2023"],
    "types": ["node"],
    "strict": true,
    "skipLibCheck": false,
    "noEmit": true
  },
  "include": ["*.ts"]
}
EOF

say "tsc --noEmit (skipLibCheck false) over the README's examples and the Testcontainers example"
npx --no-install tsc -p tsconfig.json || fail "the README's examples do not typecheck against the installed package"

say "vitest run: the README's example and its globalSetup variant"
npx --no-install vitest run --reporter=verbose </dev/null || fail "the README's examples fail against the installed package"

say "npx image-api-mocks --help"
help=$(npx --no-install image-api-mocks --help </dev/null) || fail "image-api-mocks --help"
for cmd in serve record drift; do grep -q "^  $cmd" <<<"$help" || fail "--help does not list '$cmd'"; done
npx --no-install image-api-mocks drift --help </dev/null >/dev/null || fail "image-api-mocks drift --help"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
say "npx image-api-mocks serve on 127.0.0.1:$port"
node node_modules/image-api-mocks/dist/main.js serve --host 127.0.0.1 --port "$port" --store "$tmp/store" \
  --log-level warn </dev/null >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/__admin/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || {
    cat "$tmp/server.log"
    fail "the installed server exited"
  }
  sleep 0.1
done
for path in /__admin/ready /__admin/health; do
  curl -fsS -o /dev/null "http://127.0.0.1:$port$path" || fail "$path does not answer 200"
done
# read whole, then matched: `curl | grep -q` fails the pipe (curl error 23) when grep exits first
body=$(curl -fsS "http://127.0.0.1:$port/__admin/") && grep -qi '<html' <<<"$body" ||
  fail "the console is not in the package"
body=$(curl -fsS -H 'MC-Api-Key: mc-demo-key' "http://127.0.0.1:$port/api/v1/services/stackpath/test-area/images") &&
  grep -q '"recordCount": 2' <<<"$body" || fail "the fixtures are not in the package"
test -s "$tmp/store/cloudmc.json" || fail "the installed server wrote no store"
say "OK: the tarball installs, its types compile, the README's examples pass, the CLI and server run"
