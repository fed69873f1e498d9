import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBuiltServer, type ServerProcess } from '../e2e/run-server.js';
import { loadSection, tempDir } from '../helpers.js';
import { type Lifecycle, lifecycles, type Step, type StoreFiles } from './kit/lifecycles.js';
import { isRegistered } from './kit/profiles.js';

/**
 * kill -9 of the built server in the middle of concurrent writes through
 * every registered provider (and the admin API), then a restart: the store
 * files parse, every acknowledged write is there, nothing is half applied.
 * `npm run test:stress` sets CRASH_CYCLES.
 */
const CYCLES = Number(process.env.CRASH_CYCLES ?? 3);
const WORKERS_PER_PROVIDER = 2;

interface Issued {
  key: string;
  step: Step;
  acked: boolean;
}

const { dir, cleanup } = tempDir('iam-reliability-crash-');
afterAll(cleanup);

/** Each section as the store's own loader reads it, snapshot and log; a failure is kept for the check. */
async function storeFiles(names: string[]): Promise<StoreFiles> {
  const loaded = new Map<string, Record<string, Record<string, unknown>[]> | Error>();
  for (const name of names) {
    loaded.set(name, await loadSection(dir, name).catch((err: Error) => err));
  }
  return {
    dir,
    section(name) {
      const data = loaded.get(name);
      if (data instanceof Error || !data) throw data ?? new Error(`${name} was not loaded`);
      return data;
    },
  };
}

/** Runs objects through their steps one after another until the server goes away. */
async function worker(server: ServerProcess, lifecycle: Lifecycle, prefix: string, issued: Issued[][]) {
  for (let n = 0; ; n++) {
    const key = `${prefix}n${n}`;
    const trail: Issued[] = [];
    issued.push(trail);
    for (const step of lifecycle.steps(key)) {
      const entry: Issued = { key, step, acked: false };
      trail.push(entry);
      const { method, path: p, headers, body } = step.request();
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${server.url}${p}`, { method, headers, body });
        text = await res.text();
      } catch {
        return; // killed: this write is in flight, unacknowledged
      }
      if (res.status >= 300)
        throw new Error(`${lifecycle.provider} ${step.label} answered ${res.status}: ${text}`);
      entry.acked = true;
      step.acknowledged?.(text);
    }
  }
}

const active = lifecycles.filter((l) => isRegistered(l.provider));

describe('crash consistency of the built server (kill -9 during writes)', () => {
  it(
    `keeps every acknowledged write and tears none, over ${CYCLES} kill cycles`,
    async () => {
      let acked = 0;
      let inFlight = 0;
      let objects = 0;
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const server = await startBuiltServer({ MOCK_STORE: dir, MOCK_AUTH: 'any', LOG_LEVEL: 'silent' });
        const issued: Issued[][] = [];
        const running = active.flatMap((l) =>
          Array.from({ length: WORKERS_PER_PROVIDER }, (_, w) =>
            worker(server, l, `${l.provider}c${cycle}w${w}`, issued),
          ),
        );
        // Writes first (a loaded machine starts slowly: a fixed wait could kill before any), then a
        // different moment in each cycle (deterministic), while every worker is mid-write.
        const ackedNow = () => issued.flat().filter((e) => e.acked).length;
        for (let waited = 0; ackedNow() < 2 * active.length && waited < 30_000; waited += 20) {
          await new Promise((r) => setTimeout(r, 20));
        }
        await new Promise((r) => setTimeout(r, (cycle * 7919) % 350));
        await server.stop('SIGKILL');
        await Promise.all(running);

        const files = await storeFiles(active.map((l) => l.provider));
        for (const l of active)
          expect(() => files.section(l.provider), `${l.provider}.json and its log load`).not.toThrow();
        for (const trail of issued) {
          if (trail.length === 0) continue;
          objects++;
          const last = trail.at(-1)!;
          const seen = last.step.seen(files);
          const where = `${last.key}: ${last.step.label} (${last.acked ? 'acknowledged' : 'in flight'})`;
          if (last.acked) expect(seen, where).toBe('after');
          else expect(['before', 'after'], where).toContain(seen);
          acked += trail.filter((e) => e.acked).length;
          if (!last.acked) inFlight++;
        }
      }
      // After the last kill the server still starts on the same files and serves them.
      const again = await startBuiltServer({ MOCK_STORE: dir, LOG_LEVEL: 'silent' });
      try {
        const health = await fetch(`${again.url}/__admin/health`);
        expect(health.status).toBe(200);
      } finally {
        await again.stop('SIGKILL');
      }
      expect(existsSync(path.join(dir, 'cloudmc.json'))).toBe(true);
      expect(acked).toBeGreaterThan(CYCLES * active.length);
      console.log(
        `crash: ${CYCLES} kill -9 cycles over ${active.map((l) => l.provider).join(', ')}; ` +
          `${acked} acknowledged writes verified on disk, ${inFlight} in-flight writes checked not torn, ${objects} objects`,
      );
    },
    60_000 + CYCLES * 15_000,
  );
});
