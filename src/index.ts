/** Programmatic API: start the mock from a test suite and steer it from code. */
import { type Config, resolveConfig } from './config.js';
import { type MockHandle, mockHandle } from './control/handle.js';
import type { SandboxInfo } from './control/sandboxes.js';
import { providers } from './providers/index.js';
import { type RunningServer, startServer } from './server.js';

export { createApp } from './app.js';
export type { Config } from './config.js';
export { ControlError } from './control/errors.js';
export type { FaultEffect, FaultRule } from './control/fault-rule.js';
export type { Fault } from './control/faults.js';
export type { MockHandle, StoredRecord } from './control/handle.js';
export type { JournalEntry, JournalFilter, JournalSettings } from './control/journal.js';
export type { SandboxInfo } from './control/sandboxes.js';
export type { SnapshotInfo } from './control/snapshots.js';
export type { RunningServer } from './server.js';
export { createContext } from './server.js';
export { createInstance, type Instance } from './instance.js';

/** An isolated copy of the mock behind its own base URL (see README "Sandboxes"). */
export interface MockSandbox extends MockHandle {
  id: string;
  /** Removes the sandbox and its data. */
  delete(): Promise<void>;
}

export interface MockServer extends MockHandle, Omit<RunningServer, 'url' | 'close'> {
  sandboxes: {
    create(options?: { id?: string; seed?: number }): Promise<MockSandbox>;
    list(): SandboxInfo[];
    get(id: string): MockSandbox;
    delete(id: string): Promise<void>;
  };
  /** Stops the server, drops every sandbox and flushes the store. */
  close(): Promise<void>;
}

/**
 * Starts a mock for a test suite: by default on a free port, in memory and
 * quiet. `const mock = await startMockServer(); ... await mock.close()`.
 */
export async function startMockServer(options: Partial<Config> = {}): Promise<MockServer> {
  const config = resolveConfig({}, {}, { port: 0, store: ':memory:', logLevel: 'silent', ...options });
  const running = await startServer(config);
  const manager = running.ctx.controls.sandboxes!;
  const sandboxHandle = (id: string): MockSandbox => {
    const sandbox = manager.get(id);
    return {
      ...mockHandle(sandbox.ctx, providers, `${running.url}${manager.info(id).basePath}`),
      id,
      delete: () => manager.delete(id),
    };
  };
  return {
    ...running,
    ...mockHandle(running.ctx, providers, running.url),
    sandboxes: {
      create: async (opts = {}) => sandboxHandle((await manager.create(opts)).id),
      list: () => manager.list(),
      get: sandboxHandle,
      delete: (id) => manager.delete(id),
    },
    close: () => running.close(),
  };
}
