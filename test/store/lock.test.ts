import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../src/paths.js';
import { providers } from '../../src/providers/index.js';
import { StoreLockedError } from '../../src/store/lock.js';
import { MEMORY, Store } from '../../src/store/store.js';
import { runCli, startBuiltServer } from '../e2e/run-server.js';
import { afterEachTest } from '../helpers.js';
import { startTestServer } from '../reliability/kit/raw-http.js';

const sections = providers.map((p) => p.store);
const open = (location: string) => Store.open({ location, sections, seed: 42, fixturesDir });

const { defer, temp } = afterEachTest();

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('one store per directory', () => {
  it('a second store on the same directory is refused, naming the holder; free again after close', async () => {
    const dir = temp();
    const first = await open(dir);
    const lockFile = path.join(dir, '.lock');
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual({ pid: process.pid, hostname: os.hostname() });
    const err = await open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLockedError);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toContain(dir);
    await first.close();
    expect(existsSync(lockFile)).toBe(false);
    const again = await open(dir);
    await again.close();
    await again.close(); // a second close releases nothing it does not hold
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a stale lock (a dead pid, or a file that is no lock at all)', async () => {
    const dir = temp();
    const lockFile = path.join(dir, '.lock');
    for (const text of [
      JSON.stringify({ pid: deadPid(), hostname: os.hostname() }),
      `${deadPid()}\n`,
      '',
      'garbage',
    ]) {
      writeFileSync(lockFile, text);
      const store = await open(dir);
      expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid, text).toBe(process.pid);
      await store.close();
    }
  });

  it('a live holder on the lock, even one written as a bare pid, is respected', async () => {
    const dir = temp();
    const lockFile = path.join(dir, '.lock');
    // pid 1 always runs; it is not this process
    writeFileSync(lockFile, '1\n');
    await expect(open(dir)).rejects.toThrow(/in use by another mock server \(pid 1\)/);
    expect(readFileSync(lockFile, 'utf8')).toBe('1\n');
    writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), hostname: 'elsewhere.example' }));
    await expect(open(dir)).rejects.toThrow(/on host elsewhere\.example/);
  });

  it('a store that fails to load leaves no lock behind', async () => {
    const dir = temp();
    writeFileSync(path.join(dir, 'cloudmc.json'), 'not json');
    await expect(open(dir)).rejects.toThrow(/Cannot load the store file/);
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
  });

  it(':memory: stores take no lock', async () => {
    const a = await open(MEMORY);
    const b = await open(MEMORY);
    await a.close();
    await b.close();
  });

  it('a second server on the directory exits 2 naming the first one’s pid; a new one starts once it stopped', async () => {
    const dir = temp();
    const first = await startBuiltServer({ MOCK_STORE: dir });
    defer(() => first.stop('SIGKILL'));
    const { code, output } = await runCli([], { MOCK_STORE: dir });
    expect(code).toBe(2);
    expect(output).toContain(`in use by another mock server (pid ${first.child.pid})`);
    expect(output).not.toMatch(/\n\s+at /);
    expect(await first.stop()).toBe(0);
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
    const second = await startBuiltServer({ MOCK_STORE: dir });
    defer(() => second.stop('SIGKILL'));
    expect(await second.stop('SIGKILL')).toBe(null);
    // killed: its lock stays, names a dead pid, and is taken over
    expect(existsSync(path.join(dir, '.lock'))).toBe(true);
    const third = await startBuiltServer({ MOCK_STORE: dir });
    defer(() => third.stop('SIGKILL'));
    expect(await third.stop()).toBe(0);
  }, 60_000);
});

describe('a server that cannot listen', () => {
  it('releases its store: no lock is left behind and the next server starts on it', async () => {
    const dir = temp();
    const busy = await startTestServer();
    defer(() => busy.close());
    const err = await startTestServer({ store: dir, port: busy.port }).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
    const next = await startTestServer({ store: dir });
    await next.close();
  });
});
