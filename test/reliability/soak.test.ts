import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startBuiltServer } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';
import {
  formatSample,
  type HeapSample,
  heapProbeEnv,
  liveBytes,
  mib,
  sampleHeap,
} from './kit/heap-sampler.js';
import { lifecycles, type Step } from './kit/lifecycles.js';
import { isRegistered, registered } from './kit/profiles.js';

/**
 * A bounded load soak of the built server: concurrent clients mixing reads
 * of every registered provider with full write lifecycles (create, update,
 * upload, delete, and clean-up so the data read stays the same size), plus
 * one client that keeps creating a test sandbox, writing in it and deleting
 * it, against a file store. Zero errors allowed; latency percentiles printed.
 *
 * Memory: the server runs with a preloaded probe (kit/heap-probe.mjs) that
 * answers SIGUSR2 with the heap used after a full GC plus the memory
 * outside the heap (Buffers): the live data, which RSS and heap total are
 * not (V8 grows and keeps its heap lazily). Samples
 * are taken through the run. The bounded caches are made small enough to
 * fill in the first third even in the short run (the one cache,
 * MOCK_CACHE_CHARS, request journal MOCK_JOURNAL_SIZE), the test
 * checks they did, and then the live memory must stop growing: the trend
 * over the last two thirds may add at most MAX_TREND_MIB.
 *
 * `npm test` runs 3 s; `npm run test:stress` sets SOAK_SECONDS=60.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 3);
const READERS = 6;
const SANDBOX_EVERY_MS = 1000;
const LONG = SECONDS >= 30;
/** Post-GC heap samples, evenly spaced from the start of the load to its end. */
const SAMPLES = LONG ? 13 : 7;
/** The journal's default size in the long run; small in the short one, so that it fills even on a busy machine. */
const JOURNAL_SIZE = LONG ? 1000 : 100;
/** The cache's default (32 M characters) would take an hour of writes to fill; this is a few hundred answers. */
const CACHE_CHARS = LONG ? 64 * 1024 : 4 * 1024;
/**
 * How much the live memory may trend upwards while judged (least squares
 * over the samples, times their span). The short run is a smoke check of
 * the machinery: three seconds are too few to tell a slow leak from V8
 * settling in, hence the looser bound.
 */
const MAX_TREND_MIB = LONG ? 1 : 2;

const { dir, cleanup } = tempDir('iam-reliability-soak-');
afterAll(cleanup);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

interface Tally {
  latencies: number[];
  errors: string[];
  reads: number;
  writes: number;
  sandboxes: number;
  /** Characters of 2xx JSON answers to writes: each one new (fresh ids and times), so each one goes into the cache. */
  freshChars: number;
}

const newTally = (): Tally => ({
  latencies: [],
  errors: [],
  reads: 0,
  writes: 0,
  sandboxes: 0,
  freshChars: 0,
});

async function timed(tally: Tally, url: string, init: RequestInit, ok: (status: number) => boolean) {
  const start = performance.now();
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    tally.latencies.push(performance.now() - start);
    if (!ok(res.status))
      tally.errors.push(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 200)}`);
    return { status: res.status, text };
  } catch (err) {
    tally.errors.push(`${init.method ?? 'GET'} ${url}: ${(err as Error).message}`);
    return null;
  }
}

async function readEach(base: string, tally: Tally, rounds: number) {
  for (let i = 0; i < rounds; i++) {
    const probe = registered[i % registered.length]!.probe;
    await timed(tally, `${base}${probe.path}`, { headers: probe.headers }, (s) => s === probe.status);
    tally.reads++;
  }
}

async function reader(base: string, tally: Tally, until: number) {
  while (Date.now() < until) await readEach(base, tally, registered.length);
}

/** One write lifecycle of a provider, then its clean-up; false once a step failed. */
async function writeOnce(base: string, tally: Tally, provider: string, key: string): Promise<boolean> {
  const lifecycle = lifecycles.find((l) => l.provider === provider)!;
  const send = async ({ method, path, headers, body }: ReturnType<Step['request']>) => {
    const res = await timed(tally, `${base}${path}`, { method, headers, body }, (s) => s < 300);
    tally.writes++;
    if (!res || res.status >= 300) return null;
    if (res.text.startsWith('{')) tally.freshChars += res.text.length;
    return res.text;
  };
  for (const step of lifecycle.steps(key)) {
    const answer = await send(step.request());
    if (answer === null) return false;
    step.acknowledged?.(answer);
  }
  for (const request of lifecycle.cleanup?.(key) ?? []) {
    if ((await send(request)) === null) return false;
  }
  return true;
}

async function writer(base: string, tally: Tally, until: number, provider: string, prefix: string) {
  for (let n = 0; Date.now() < until; n++) {
    if (!(await writeOnce(base, tally, provider, `${prefix}n${n}`))) return;
  }
}

/**
 * Creates a sandbox, reads and writes every provider in it, deletes it;
 * again each SANDBOX_EVERY_MS until the end. Paced: seeding a sandbox's
 * store takes the event loop for a while, and back to back they would
 * measure sandbox creation rather than the soak.
 */
async function sandboxChurner(server: ServerProcess, tally: Tally, until: number) {
  const json = { 'Content-Type': 'application/json' };
  for (let n = 0, next = Date.now(); next < until; n++, next += SANDBOX_EVERY_MS) {
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    const made = await timed(
      tally,
      `${server.url}/__admin/sandboxes`,
      { method: 'POST', headers: json, body: '{}' },
      (s) => s === 201,
    );
    if (made?.status !== 201) return;
    const { id, baseUrl } = JSON.parse(made.text) as { id: string; baseUrl: string };
    await readEach(baseUrl, tally, registered.length);
    for (const l of lifecycles.filter((l) => isRegistered(l.provider))) {
      if (!(await writeOnce(baseUrl, tally, l.provider, `sandbox${n}`))) return;
    }
    const gone = await timed(
      tally,
      `${server.url}/__admin/sandboxes/${id}`,
      { method: 'DELETE' },
      (s) => s === 204,
    );
    if (gone?.status !== 204) return;
    tally.sandboxes++;
  }
}

/** Least-squares slope of live memory over time, in bytes per second. */
function trend(samples: HeapSample[]): number {
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.at, 0) / n;
  const my = samples.reduce((a, s) => a + liveBytes(s), 0) / n;
  const num = samples.reduce((a, s) => a + (s.at - mx) * (liveBytes(s) - my), 0);
  const den = samples.reduce((a, s) => a + (s.at - mx) ** 2, 0);
  return num / den;
}

describe('load soak of the built server', () => {
  it(
    `serves ${SECONDS}s of mixed concurrent reads and writes without an error, and its memory levels off`,
    async () => {
      const server = await startBuiltServer({
        MOCK_STORE: dir,
        MOCK_AUTH: 'any',
        LOG_LEVEL: 'silent',
        MOCK_JOURNAL_SIZE: String(JOURNAL_SIZE),
        MOCK_CACHE_CHARS: String(CACHE_CHARS),
        ...heapProbeEnv(),
      });
      try {
        await reader(server.url, newTally(), Date.now() + 500);

        const tally = newTally();
        const started = Date.now();
        const until = started + SECONDS * 1000;
        const clients = [
          ...Array.from({ length: READERS }, () => reader(server.url, tally, until)),
          ...lifecycles
            .filter((l) => isRegistered(l.provider))
            .map((l) => writer(server.url, tally, until, l.provider, 'soak')),
          sandboxChurner(server, tally, until),
        ];
        // while the clients run: post-GC samples, each with the load served until then
        const samples: (HeapSample & { requests: number; freshChars: number })[] = [];
        const sample = async () => {
          const served = { requests: tally.reads + tally.writes, freshChars: tally.freshChars };
          samples.push({ ...(await sampleHeap(server, (Date.now() - started) / 1000)), ...served });
        };
        const sampling = (async () => {
          for (let i = 0; i < SAMPLES - 1; i++) {
            const due = started + (i * SECONDS * 1000) / (SAMPLES - 1);
            await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
            await sample();
          }
        })();
        await Promise.all([...clients, sampling]);
        await sample();

        const elapsed = (Date.now() - started) / 1000;
        const sorted = tally.latencies.sort((a, b) => a - b);
        const total = tally.reads + tally.writes;
        // judged: from the first sample at least a third in by which every bounded cache was filled past its bound
        const from = samples.findIndex(
          (x, i) => i >= (SAMPLES - 1) / 3 && x.requests > JOURNAL_SIZE && x.freshChars > CACHE_CHARS,
        );
        const window = samples.slice(from < 0 ? samples.length : from);
        const judged = window.length >= 3;
        const trendBytes = judged ? trend(window) * (window.at(-1)!.at - window[0]!.at) : Number.NaN;
        console.log(
          [
            `soak: ${SECONDS}s, ${total} requests (${tally.reads} reads, ${tally.writes} writes, ` +
              `${tally.sandboxes} sandboxes made and deleted; ${Math.round(total / elapsed)}/s), ` +
              `${tally.errors.length} errors; latency p50 ${percentile(sorted, 0.5).toFixed(1)} ms, ` +
              `p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms ` +
              `(includes the ${SAMPLES} full-GC pauses of the samples)`,
            `caches: request journal ${JOURNAL_SIZE} entries, cache ${CACHE_CHARS} chars; ` +
              `samples with the requests and the chars of new JSON answers served until then:`,
            ...samples.map(
              (x, i) =>
                `${formatSample(x)}  ${String(x.requests).padStart(7)} requests ` +
                `${String(x.freshChars).padStart(9)} chars${i === from ? '  <- caches full, judged from here' : ''}`,
            ),
            judged
              ? `live memory (post-GC heap used + external) from ${window[0]!.at.toFixed(1)}s to the end: ` +
                `trend ${mib(trendBytes)} MiB (limit ${MAX_TREND_MIB}), ` +
                `last minus first ${mib(liveBytes(window.at(-1)!) - liveBytes(window[0]!))} MiB; ` +
                `RSS ${mib(samples[0]!.rss)} MiB at the start, ${mib(window[0]!.rss)} when judging began, ` +
                `${mib(samples.at(-1)!.rss)} at the end`
              : `the caches were not full by two thirds of the run (too little load): nothing to judge`,
          ].join('\n'),
        );
        expect(tally.errors.slice(0, 5)).toEqual([]);
        expect(total).toBeGreaterThan(SECONDS * 20);
        expect(tally.sandboxes).toBeGreaterThan(0);
        expect(judged, 'at least 3 samples after the caches were full').toBe(true);
        expect(trendBytes / 1024 / 1024).toBeLessThan(MAX_TREND_MIB);
        expect((await fetch(`${server.url}/__admin/health`)).status).toBe(200);
      } finally {
        await server.stop('SIGKILL');
      }
    },
    60_000 + SECONDS * 2_000,
  );
});
