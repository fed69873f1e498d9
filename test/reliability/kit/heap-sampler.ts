import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerProcess } from '../../e2e/run-server.js';

const PROBE = pathToFileURL(path.join(import.meta.dirname, 'heap-probe.mjs')).href;

/** Memory of the server process at one moment, in bytes; heap used is measured after a full GC. */
export interface HeapSample {
  /** Seconds since the load started. */
  at: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

/** Environment that starts the built server with the heap probe preloaded (see heap-probe.mjs). */
export function heapProbeEnv(): Record<string, string> {
  const inherited = process.env.NODE_OPTIONS ?? '';
  return { NODE_OPTIONS: `${inherited} --expose-gc --import "${PROBE}"`.trim() };
}

const LINE = /^heap-probe (\{.*\})$/gm;

/** Asks the server for a post-GC sample (SIGUSR2) and waits for its line on stderr. */
export async function sampleHeap(
  server: ServerProcess,
  at: number,
  // writing a heap snapshot (HEAP_PROBE_SNAPSHOTS) takes far longer than a GC
  timeoutMs = process.env.HEAP_PROBE_SNAPSHOTS ? 120_000 : 10_000,
): Promise<HeapSample> {
  const before = [...server.output().matchAll(LINE)].length;
  server.child.kill('SIGUSR2');
  const started = Date.now();
  const deadline = started + timeoutMs;
  let resent = false;
  while (Date.now() < deadline) {
    const lines = [...server.output().matchAll(LINE)];
    if (lines.length > before) {
      const m = JSON.parse(lines[before]![1]!) as Omit<HeapSample, 'at'>;
      return {
        at,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        rss: m.rss,
      };
    }
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(
        `the server ended (${exitCode ?? signalCode}) before its heap sample:\n${server.output().slice(-2000)}`,
      );
    }
    // a signal that arrives while an earlier one is still pending merges with it; ask once more
    if (!resent && Date.now() - started > timeoutMs / 2) {
      resent = true;
      server.child.kill('SIGUSR2');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(
    `no heap-probe answer within ${timeoutMs} ms (asked twice; server ${processState(server.child.pid)}); ` +
      `output:\n${server.output().slice(-2000)}`,
  );
}

function processState(pid: number | undefined): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8').match(/^State:.*$/m)?.[0] ?? 'state unknown';
  } catch {
    return 'gone';
  }
}

/** What the process holds live: the post-GC heap plus memory outside it (Buffers hold their bytes there). */
export const liveBytes = (s: HeapSample) => s.heapUsed + s.external;

export const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function formatSample(s: HeapSample): string {
  return (
    `${s.at.toFixed(1).padStart(6)}s  heap used ${mib(s.heapUsed).padStart(6)} MiB  ` +
    `heap total ${mib(s.heapTotal).padStart(6)}  external ${mib(s.external).padStart(6)}  ` +
    `RSS ${mib(s.rss).padStart(6)} MiB`
  );
}
