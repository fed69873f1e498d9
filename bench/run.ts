/**
 * `npm run bench`: the mock at its defaults beside the limit, the Express
 * floor and its peers on the same bytes, then its scaling, then parallel
 * workers each in a sandbox of its own. Settings
 * (environment): BENCH_DURATION (s per run, 1), BENCH_RUNS (5),
 * BENCH_WARMUP (s, 0.5), BENCH_CONNECTIONS (50), BENCH_ONLY
 * (throughput|scaling|sandboxes|pattern), BENCH_MOCK_MAIN (another build's dist/main.js, to
 * compare builds), BENCH_PEER_MODULES (node_modules folders holding the
 * optional peers wiremock and @mockoon/cli, colon-separated).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { capacity, type LoadSettings } from './load.js';
import { root, startMock } from './processes.js';
import { type Check, printChecks, printRows, ratio, type Row } from './report.js';
import { patternBench, type PatternResult } from './pattern.js';
import { scaling, type ScalingResult } from './scaling.js';
import { HEADLINE, registeredProviders, throughput } from './throughput.js';
import { PEER_LABELS } from './peers.js';
import { sandboxLoad, sandboxScale, type SandboxRun } from './sandboxes.js';

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return n;
};

const settings: LoadSettings = {
  duration: num('BENCH_DURATION', 1),
  runs: Math.round(num('BENCH_RUNS', 5)),
  warmup: num('BENCH_WARMUP', 0.5),
  connections: Math.round(num('BENCH_CONNECTIONS', 50)),
};
const PARTS = ['throughput', 'scaling', 'sandboxes', 'pattern'] as const;
const only = process.env.BENCH_ONLY ?? '';
if (only && !(PARTS as readonly string[]).includes(only))
  throw new Error(`BENCH_ONLY must be one of ${PARTS.join(', ')}, got '${only}'`);
const part = (name: (typeof PARTS)[number]) => only === '' || only === name;

const started = Date.now();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'image-api-mocks-bench-'));
const skipped: Record<string, string> = {};
let rows: Row[] = [];
let scaled: ScalingResult | null = null;
let sandboxed: { rows: Row[]; runs: SandboxRun[] } | null = null;
let matched: PatternResult | null = null;
try {
  console.error(
    `benchmark: ${settings.runs} runs of ${settings.duration}s after ${settings.warmup}s warm-up, ` +
      `${settings.connections} connections, ${os.cpus().length} cores, node ${process.version}`,
  );
  if (part('pattern')) matched = await patternBench();
  if (part('throughput')) rows = await throughput(settings, workDir, skipped);
  if (part('scaling')) {
    const probe = await startMock('probe', {});
    const registered = await registeredProviders(probe.url);
    await probe.stop();
    scaled = await scaling(settings, workDir, registered);
  }
  if (part('sandboxes')) sandboxed = await sandboxScale(settings);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

const checks = [
  ...targetChecks(rows, scaled),
  ...sandboxChecks(sandboxed?.runs ?? []),
  ...patternChecks(matched),
];
if (rows.length)
  printRows(
    'Throughput on the same response bytes (each server in a child process, autocannon here; ratios from CPU per request)',
    rows,
  );
if (scaled) {
  printRows('Scaling', scaled.rows);
  if (scaled.rssMb)
    console.log(
      `\nRSS with ${scaled.rssMb.records} ${scaled.rssMb.provider} images, while its pages are measured: ` +
        `median ${scaled.rssMb.mb} MB of ${scaled.rssMb.samples} readings, highest ${scaled.rssMb.max} MB`,
    );
  if (scaled.startMs) console.log(`Start to first 200 (ms, each run): ${scaled.startMs.join(' ')}`);
  for (const d of scaled.durability)
    console.log(
      `Store after "${d.scenario}": ${d.parsed ? 'parses' : 'DOES NOT PARSE'}, ${d.added} records added, ${d.acknowledged} creates acknowledged${d.logLeft ? ', CHANGE LOG NOT FOLDED on stop' : ', log folded on stop'}`,
    );
}
if (sandboxed) {
  const { runs, duration } = sandboxLoad(settings, 1);
  printRows(
    `Parallel workers, one sandbox each, mixed traffic over the five APIs (${runs} runs of ${duration}s each)`,
    sandboxed.rows,
  );
  for (const r of sandboxed.runs)
    console.log(
      `${r.workers} workers: RSS ${r.rssBeforeMb} MB before the sandboxes, median ${r.rssMb} MB (highest ${r.rssMaxMb}) ` +
        `under load, ${r.rssPerSandboxMb} MB per sandbox; ${r.created} records created, ${r.leaks} seen outside their sandbox` +
        (r.emptySandboxes ? `, ${r.emptySandboxes} SANDBOXES WITHOUT THEIR CREATES` : ''),
    );
}
if (matched) {
  console.log(
    `\nPath patterns against a 1,000-segment path (ms, median of ${matched.repeats} compile-and-match)`,
  );
  for (const c of matched.cases) console.log(`  ${c.name}: ${c.ms} ms`);
}
for (const [name, why] of Object.entries(skipped)) console.log(`skipped ${name}: ${why}`);
printChecks(checks);

const seconds = Math.round((Date.now() - started) / 1000);
const resultsDir = path.join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      seconds,
      node: process.version,
      cpus: os.cpus().length,
      settings,
      rows,
      scaling: scaled,
      sandboxes: sandboxed,
      patterns: matched,
      skipped,
      checks,
    },
    null,
    2,
  )}\n`,
);
console.log(`\n${seconds}s; results in ${path.relative(root, file)}`);

function targetChecks(throughputRows: Row[], s: ScalingResult | null): Check[] {
  const checks: Check[] = [];
  const scenarios = [...new Set(throughputRows.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    const at = (server: string) => throughputRows.find((r) => r.scenario === scenario && r.server === server);
    // capacity from CPU per request: robust when other work shares the machine (see docs/performance.md)
    const mock = capacity(at(HEADLINE)!.figure);
    const floorCapacity = capacity(at(PEER_LABELS.express)!.figure);
    const floor = ratio(mock, floorCapacity);
    const lean = ratio(capacity(at('mock, journal off')!.figure), floorCapacity);
    checks.push({
      target: `${scenario}, defaults ≥ 0.85× Express floor`,
      value: `${floor}× (with the request journal off: ${lean}×)`,
      ok: floor >= 0.85,
    });
    // What Express alone reaches against the same peer bounds what any Express app can: printed beside
    // each peer figure, with the requests/s ratio (the issue's own orientation figures are requests/s).
    const peerCheck = (peer: keyof typeof PEER_LABELS, label: string, goal: number) => {
      const row = at(PEER_LABELS[peer]);
      if (!row) return; // skipped: the reason is printed with the others
      const cpu = ratio(mock, capacity(row.figure));
      const floorVs = ratio(floorCapacity, capacity(row.figure));
      const rps = ratio(at(HEADLINE)!.figure.rps, row.figure.rps);
      checks.push({
        target: `${scenario} ≥ ${goal}× ${label}`,
        value: `${cpu}× (requests/s: ${rps}×; the Express floor itself: ${floorVs}×)`,
        ok: cpu >= goal,
      });
    };
    peerCheck('wiremock', 'WireMock', 1.5);
    peerCheck('json-server', 'json-server', 2.5);
    peerCheck('prism', 'Prism', 4);
    peerCheck('mockoon', 'Mockoon CLI', 4);
  }
  if (!s) return checks;
  for (const page of ['first page', 'deep marker page']) {
    const small = s.rows.find((r) => r.scenario === `glance list, ${page} @1000`);
    const large = s.rows.find((r) => r.scenario === `glance list, ${page} @100000`);
    if (!small || !large) continue;
    const slower = ratio(large.figure.cpuUs, small.figure.cpuUs);
    checks.push({
      target: `glance ${page} at 100k ≤ 3× its time (CPU per request) at 1k`,
      value: `${slower}×`,
      ok: slower <= 3,
    });
  }
  for (const r of s.rows.filter((row) => /durable create .*@10000$/.test(row.scenario)))
    checks.push({ target: `${r.scenario} ≥ 1,000/s`, value: `${r.figure.rps}/s`, ok: r.figure.rps >= 1000 });
  for (const d of s.durability)
    checks.push({
      target: `no torn store file, nothing acknowledged lost, log folded on stop (${d.scenario})`,
      value: `${d.added} on disk / ${d.acknowledged} acknowledged`,
      ok: d.parsed && d.added >= d.acknowledged && !d.logLeft,
    });
  if (s.startMs?.length) {
    const median = [...s.startMs].sort((a, b) => a - b)[Math.floor(s.startMs.length / 2)]!;
    checks.push({
      target: 'start to first response ≤ 250 ms (median)',
      value: `${median} ms`,
      ok: median <= 250,
    });
  }
  if (s.rssMb)
    checks.push({
      target: `RSS at 100,000 images ≤ 300 MB (${s.rssMb.provider})`,
      value: `${s.rssMb.mb} MB (median of ${s.rssMb.samples} readings under load; highest ${s.rssMb.max} MB)`,
      ok: s.rssMb.mb <= 300,
    });
  return checks;
}

function sandboxChecks(runs: SandboxRun[]): Check[] {
  const largest = runs.find((r) => r.workers === 64);
  if (!largest) return [];
  const { figure } = largest;
  return [
    { target: '64 sandboxed workers: p99 < 50 ms', value: `${figure.p99} ms`, ok: figure.p99 < 50 },
    { target: '64 sandboxed workers: 0 errors', value: String(figure.failures), ok: figure.failures === 0 },
    {
      target: '64 sandboxed workers: 0 records seen outside their sandbox',
      value: `${largest.leaks} of ${largest.created} created${largest.emptySandboxes ? `, ${largest.emptySandboxes} sandboxes without their creates` : ''}`,
      ok: largest.leaks === 0 && largest.emptySandboxes === 0 && largest.created > 0,
    },
    {
      target: '64 sandboxed workers: RSS < 400 MB',
      value: `${largest.rssMb} MB median (highest ${largest.rssMaxMb} MB), ${largest.rssPerSandboxMb} MB per sandbox`,
      ok: largest.rssMb < 400,
    },
  ];
}

/** The matcher never backtracks: the hostile case that took seconds is one fast pass. */
function patternChecks(m: PatternResult | null): Check[] {
  if (!m) return [];
  const worst = Math.max(...m.cases.map((c) => c.ms));
  return [
    {
      target: '1,000-segment path against a 100-wildcard pattern (journal filter and fault rule) < 10 ms',
      value: `${worst} ms (slowest case, median of ${m.repeats})`,
      ok: worst < 10 && m.cases.every((c) => c.matched === c.name.endsWith(', match')),
    },
  ];
}
