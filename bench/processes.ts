import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../../..');
export const buildDir = import.meta.dirname;

/** A server under test, in a child process of its own so it never shares a core's time with the load generator's event loop. */
export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** Resident set size of the server process now, from /proc (MB). */
  rssMb(): number;
  stop(): Promise<void>;
}

interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Whether `env` adds to the benchmark's own environment (the default) or replaces it. */
  inheritEnv?: boolean;
  /** Reads the listening port (or full URL) from the child's output ... */
  ready?: RegExp;
  /** ... or polls this URL until it answers 200 (servers that print nothing when quiet). */
  probe?: string;
  timeoutMs?: number;
}

/** Spawns a server, waits until its output announces where it listens. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  { env = {}, inheritEnv = true, ready, probe, timeoutMs = 60_000 }: SpawnOptions,
): Promise<ServerProcess> {
  const child = spawn(command, args, {
    cwd: root,
    env: inheritEnv ? { ...process.env, ...env } : env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.slice(-2000)}`));
    }, timeoutMs);
    let settled = false;
    const done = (url: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(serverProcess(name, child, url));
    };
    const onData = (chunk: Buffer) => {
      if (output.length < 100_000) output += chunk.toString();
      const m = ready?.exec(output);
      if (!m) return;
      const where = m[1]!;
      done(/^\d+$/.test(where) ? `http://127.0.0.1:${where}` : where);
    };
    // keeps draining after start-up too, so a chatty server never blocks on a full pipe
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!settled)
        reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output.slice(-2000)}`));
    });
    if (probe)
      void pollUntilOk(probe, () => settled || child.exitCode !== null).then(
        (ok) => ok && done(new URL(probe).origin),
      );
  });
}

function serverProcess(name: string, child: ChildProcess, url: string): ServerProcess {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    url,
    pid: child.pid!,
    rssMb: () => rssOf(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function pollUntilOk(url: string, stop: () => boolean): Promise<boolean> {
  while (!stop()) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

export const MOCK_READY = /listening on (http:\/\/\S+)/;

/**
 * The environment of a mock child: the benchmark's own, less every setting
 * of the mock's (`LOG_LEVEL`, `MOCK_*` ...) that the shell running the
 * benchmark may hold, so what is not given is the mock's default.
 */
export function mockEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(MOCK_|LOG_LEVEL$|PORT$|HOST$)/.test(name)) env[name] = value;
  return { ...env, PORT: '0', HOST: '127.0.0.1', MOCK_STORE: ':memory:', ...settings };
}

/** The mock's entry point: this tree's build, or another build to compare with (`BENCH_MOCK_MAIN`). */
export const mockMain = process.env.BENCH_MOCK_MAIN
  ? path.resolve(process.env.BENCH_MOCK_MAIN)
  : path.join(root, 'dist/main.js');

/** The built mock (`node dist/main.js`), as a user runs it: its defaults, but for what `settings` names. */
export function startMock(name: string, settings: Record<string, string>): Promise<ServerProcess> {
  return startProcess(name, process.execPath, [mockMain], {
    env: mockEnv(settings),
    inheritEnv: false,
    ready: MOCK_READY,
  });
}

/** Fetch against 127.0.0.1 that fails loudly on anything but the expected status. */
export async function fetchOk(
  url: string,
  init: RequestInit = {},
  expect = 200,
): Promise<{ text: string; contentType: string; body: Buffer }> {
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== expect) {
    throw new Error(
      `${init.method ?? 'GET'} ${url} answered ${res.status}: ${body.toString().slice(0, 300)}`,
    );
  }
  return { text: body.toString(), body, contentType: res.headers.get('content-type') ?? '' };
}
