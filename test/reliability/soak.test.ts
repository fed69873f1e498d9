import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startBuiltServer } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';
import { lifecycles } from './kit/lifecycles.js';
import { isRegistered, registered } from './kit/profiles.js';

/**
 * A bounded load soak of the built server: concurrent clients mixing reads
 * of every registered provider with full write lifecycles (create, update,
 * upload, delete), against a file store. Zero errors allowed; RSS at start
 * and end and the latency percentiles are printed. `npm run test:stress`
 * sets SOAK_SECONDS=60.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 3);
const READERS = 6;
const WRITERS_PER_PROVIDER = 1;

const { dir, cleanup } = tempDir('iam-reliability-soak-');
afterAll(cleanup);

/** Resident set size of a process, from /proc (Linux), in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

interface Tally {
  latencies: number[];
  errors: string[];
  reads: number;
  writes: number;
}

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

async function reader(server: ServerProcess, tally: Tally, until: number) {
  const probes = registered.map((p) => p.probe);
  for (let i = 0; Date.now() < until; i++) {
    const probe = probes[i % probes.length]!;
    await timed(tally, `${server.url}${probe.path}`, { headers: probe.headers }, (s) => s === probe.status);
    tally.reads++;
  }
}

async function writer(server: ServerProcess, tally: Tally, until: number, provider: string, prefix: string) {
  const lifecycle = lifecycles.find((l) => l.provider === provider)!;
  for (let n = 0; Date.now() < until; n++) {
    for (const step of lifecycle.steps(`${prefix}n${n}`)) {
      const { method, path, headers, body } = step.request();
      const res = await timed(tally, `${server.url}${path}`, { method, headers, body }, (s) => s < 300);
      tally.writes++;
      if (!res || res.status >= 300) return;
      step.acknowledged?.(res.text);
    }
  }
}

describe('load soak of the built server', () => {
  it(
    `serves ${SECONDS}s of mixed concurrent reads and writes without an error or runaway memory`,
    async () => {
      const server = await startBuiltServer({ MOCK_STORE: dir, MOCK_AUTH: 'any', LOG_LEVEL: 'silent' });
      try {
        const pid = server.child.pid!;
        const warm: Tally = { latencies: [], errors: [], reads: 0, writes: 0 };
        await reader(server, warm, Date.now() + 500);
        const rssStart = rssMiB(pid);

        const tally: Tally = { latencies: [], errors: [], reads: 0, writes: 0 };
        const until = Date.now() + SECONDS * 1000;
        const writers = lifecycles
          .filter((l) => isRegistered(l.provider))
          .flatMap((l) =>
            Array.from({ length: WRITERS_PER_PROVIDER }, (_, w) =>
              writer(server, tally, until, l.provider, `soak${w}`),
            ),
          );
        // RSS climbs while V8 grows its heap early on; a leak keeps climbing in the second half.
        let rssMid = Number.NaN;
        const midway = setTimeout(() => (rssMid = rssMiB(pid)), (SECONDS * 1000) / 2);
        await Promise.all([
          ...Array.from({ length: READERS }, () => reader(server, tally, until)),
          ...writers,
        ]);
        clearTimeout(midway);
        const rssEnd = rssMiB(pid);

        const sorted = tally.latencies.sort((a, b) => a - b);
        const total = tally.reads + tally.writes;
        console.log(
          `soak: ${SECONDS}s, ${total} requests (${tally.reads} reads, ${tally.writes} writes, ` +
            `${Math.round(total / SECONDS)}/s), ${tally.errors.length} errors; ` +
            `latency p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, ` +
            `max ${sorted.at(-1)!.toFixed(1)} ms; RSS ${rssStart.toFixed(1)} MiB at start, ` +
            `${rssMid.toFixed(1)} MiB halfway, ${rssEnd.toFixed(1)} MiB at the end`,
        );
        expect(tally.errors.slice(0, 5)).toEqual([]);
        expect(total).toBeGreaterThan(SECONDS * 20);
        // Written objects are deleted again, so memory must level off, not keep growing with the run.
        expect(rssEnd).toBeLessThan(rssMid * 1.5 + 64);
        expect((await fetch(`${server.url}/__admin/health`)).status).toBe(200);
      } finally {
        await server.stop('SIGKILL');
      }
    },
    60_000 + SECONDS * 2_000,
  );
});
