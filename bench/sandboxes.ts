/**
 * Parallel workers, each in a sandbox of its own, as test suites use the
 * mock: 1, 16 and 64 connections on one server at its defaults, connection
 * i in sandbox i, each walking the same mixed sequence over all five APIs
 * (Glance list, get and create; Alliance create and list; StackPath and Cox
 * Edge lists through CloudMC; Sharedcloud list). Afterwards every sandbox's
 * Glance and Alliance images are read back through its admin API: a record
 * a worker created must be in its own sandbox and in no other (nor in the
 * main instance).
 */
import type autocannon from 'autocannon';
import { type Figure, type LoadSettings, measure } from './load.js';
import { fetchOk, type ServerProcess, startMock } from './processes.js';
import type { Row } from './report.js';
import { sampleRss } from './scaling.js';
import { type Endpoint, providerTargets } from './targets.js';

export const WORKER_COUNTS = [1, 16, 64] as const;
export const SANDBOX_SERVER = 'mock, defaults, sandboxed workers';
const SANDBOX_WARMUP_S = 2;
/**
 * Longer runs than the throughput table's. Every run opens its connections
 * anew, and under load the first answer on a new connection waits far
 * behind the others (up to 0.7 s here, a bare node:http server spending
 * 0.3 ms a request shows the same: docs/performance.md). In 1 s runs those
 * 64 first answers are 1–2% of all and set the p99; test workers keep their
 * connections, so the figure should be about the answers after connecting.
 */
const SANDBOX_RUN_S = 5;
const SANDBOX_RUNS = 3;

/** The load settings of the sandboxed workers' runs, given the benchmark's own. */
export const sandboxLoad = (settings: LoadSettings, workers: number): LoadSettings => ({
  ...settings,
  connections: workers,
  warmup: Math.max(settings.warmup, SANDBOX_WARMUP_S),
  duration: Math.max(settings.duration, SANDBOX_RUN_S),
  runs: Math.min(settings.runs, SANDBOX_RUNS),
});

export interface SandboxRun {
  workers: number;
  figure: Figure;
  /** Process RSS before any sandbox existed, and the median / highest of readings while the workers ran (MB). */
  rssBeforeMb: number;
  rssMb: number;
  rssMaxMb: number;
  /** (median RSS under load − RSS before) / workers. */
  rssPerSandboxMb: number;
  /** Records the workers created, found back in their own sandboxes. */
  created: number;
  /** Records found in a sandbox (or the main instance) other than the one whose worker created them. */
  leaks: number;
  /** Sandboxes in which none of their own creates was found (the leak check would prove nothing there). */
  emptySandboxes: number;
}

const CREATED = 'scale-';
const sandboxOf = (basePath: string) => basePath.slice(basePath.lastIndexOf('/') + 1);

let serial = 0;

/** The mixed sequence; every path is appended to the connection's sandbox base path. */
export async function mixedRequests(sandboxUrl: string): Promise<autocannon.Request[]> {
  const found = new Map<string, { list: Endpoint; get: Endpoint }>();
  for (const t of providerTargets) found.set(t.name, await t.discover(sandboxUrl));
  const { list: glanceList, get: glanceGet } = found.get('glance')!;
  const cloudmc = found.get('cloudmc')!.list;
  const alliance = found.get('alliance')!.list;
  const json = { 'content-type': 'application/json' };
  const step = (
    endpoint: Endpoint,
    method: 'GET' | 'POST' = 'GET',
    body?: (sandbox: string) => string,
  ): autocannon.Request => ({
    setupRequest: (req) => {
      const base = req.path!;
      return {
        ...req,
        method,
        path: `${base}${endpoint.path}`,
        headers: { ...req.headers, ...endpoint.headers, ...(body ? json : {}) },
        ...(body ? { body: body(sandboxOf(base)) } : {}),
      };
    },
  });
  const name = (sandbox: string) => `${CREATED}${sandbox}-${++serial}`;
  return [
    step(glanceList),
    step(glanceGet),
    step(cloudmc),
    step({ ...cloudmc, path: cloudmc.path.replace('/stackpath/production/', '/cox/test-area/') }),
    step(found.get('sharedcloud')!.list),
    step(alliance),
    step(glanceList, 'POST', (s) =>
      JSON.stringify({ name: name(s), disk_format: 'qcow2', container_format: 'bare' }),
    ),
    step(alliance, 'POST', (s) =>
      JSON.stringify({ image: { name: name(s), disk_format: 'qcow2', container_format: 'bare' } }),
    ),
  ];
}

async function createdNames(instanceUrl: string): Promise<string[]> {
  const names: string[] = [];
  for (const provider of ['glance', 'alliance']) {
    const { text } = await fetchOk(`${instanceUrl}/__admin/store/${provider}/images`);
    for (const r of (JSON.parse(text) as { records: { name?: unknown }[] }).records)
      if (typeof r.name === 'string' && r.name.startsWith(CREATED)) names.push(r.name);
  }
  return names;
}

async function leakCheck(server: ServerProcess, sandboxes: string[]) {
  let created = 0;
  let empty = 0;
  let leaks = (await createdNames(server.url)).length;
  for (const id of sandboxes) {
    const names = await createdNames(`${server.url}/__sandbox/${id}`);
    const own = names.filter((n) => n.startsWith(`${CREATED}${id}-`)).length;
    created += own;
    leaks += names.length - own;
    if (own === 0) empty++;
  }
  return { created, leaks, emptySandboxes: empty };
}

export async function sandboxScale(settings: LoadSettings): Promise<{ rows: Row[]; runs: SandboxRun[] }> {
  const rows: Row[] = [];
  const runs: SandboxRun[] = [];
  for (const workers of WORKER_COUNTS) {
    const server = await startMock(`mock, ${workers} sandboxes`, {});
    try {
      const rssBeforeMb = server.rssMb();
      const ids: string[] = [];
      for (let i = 0; i < workers; i++) {
        const { text } = await fetchOk(
          `${server.url}/__admin/sandboxes`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"id":"w${i}"}` },
          201,
        );
        ids.push((JSON.parse(text) as { id: string }).id);
      }
      const urls = ids.map((id) => `${server.url}/__sandbox/${id}`);
      const scenario = `mixed traffic, ${workers} sandboxed worker${workers === 1 ? '' : 's'}`;
      console.error(`  ${scenario}`);
      const rss = sampleRss(server);
      // every sandbox's first answers fill its own caches: a longer warm-up keeps them out of the figure
      const figure = await measure(
        { url: urls, pid: server.pid, requests: await mixedRequests(urls[0]!) },
        sandboxLoad(settings, workers),
      );
      const memory = rss.stop();
      const check = await leakCheck(server, ids);
      rows.push({ scenario, server: SANDBOX_SERVER, figure });
      runs.push({
        workers,
        figure,
        rssBeforeMb,
        rssMb: memory.mb,
        rssMaxMb: memory.max,
        rssPerSandboxMb: Math.round(((memory.mb - rssBeforeMb) / workers) * 10) / 10,
        ...check,
      });
    } finally {
      await server.stop();
    }
  }
  return { rows, runs };
}
