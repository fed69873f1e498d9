import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type request from 'supertest';
import { createApp } from '../src/app.js';
import { type Config, resolveConfig } from '../src/config.js';
import type { MockContext } from '../src/context.js';
import { createContext } from '../src/server.js';

export const silentLogger = pino({ level: 'silent' });

type NodeParser = Exclude<Parameters<request.Test['parse']>[0], (text: string) => unknown>;

/** A supertest parser that keeps a body as its raw bytes: `.buffer(true).parse(rawBytes)`. */
export const rawBytes: NodeParser = (res, done) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const openContexts = new Set<MockContext>();

/**
 * A context over an in-memory store unless `store` says otherwise. Closed
 * after the test file (test/setup-file.ts), so its temporary directories go.
 */
export async function testContext(overrides: Partial<Config> = {}): Promise<MockContext> {
  const ctx = await createContext(
    resolveConfig({}, {}, { store: ':memory:', logLevel: 'silent', ...overrides }),
    silentLogger,
  );
  openContexts.add(ctx);
  return ctx;
}

/**
 * Closes what a server's close() would for every context testContext made:
 * sandboxes, snapshots and (in memory) the store. A file store's directory
 * belongs to its test, which closes and removes it.
 */
export async function closeTestContexts(): Promise<void> {
  const contexts = [...openContexts];
  openContexts.clear();
  for (const ctx of contexts) {
    await ctx.controls?.sandboxes?.close();
    ctx.controls?.snapshots.close();
    if (!ctx.store.persistent) await ctx.store.close();
  }
}

/** An Express app for supertest plus its context, for arranging and inspecting state. */
export async function testApp(overrides: Partial<Config> = {}) {
  const ctx = await testContext(overrides);
  return { ctx, app: createApp(ctx) };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'iam-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Undo steps that run after each test of the file that calls this, last
 * first: `defer` one, or take a `temp` directory removed with them.
 */
export function afterEachTest() {
  let cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });
  return {
    defer: (cleanup: () => unknown) => void cleanups.push(cleanup),
    temp: () => {
      const t = tempDir();
      cleanups.push(t.cleanup);
      return t.dir;
    },
  };
}

/** The text of the n-th fenced code block after a heading line in a seed document. */
export function codeBlockAfter(document: string, heading: string, n = 0): string {
  const start = document.indexOf(heading);
  if (start < 0) throw new Error(`heading not found: ${heading}`);
  const blocks = [...document.slice(start).matchAll(/```[a-z]*\n([\s\S]*?)\n```/g)];
  const block = blocks[n];
  if (!block) throw new Error(`no code block ${n} after ${heading}`);
  return block[1]!;
}

/** A section of a store directory as a restart reads it (snapshot and log), as plain data; the log is folded. */
export async function loadSection(
  dir: string,
  section: string,
): Promise<Record<string, Record<string, unknown>[]>> {
  const { Store } = await import('../src/store/store.js');
  const { providers } = await import('../src/providers/index.js');
  const { fixturesDir } = await import('../src/paths.js');
  const store = await Store.open({
    location: dir,
    sections: providers.filter((p) => p.name === section).map((p) => p.store),
    seed: 42,
    fixturesDir,
  });
  try {
    return structuredClone(store.data(section)) as Record<string, Record<string, unknown>[]>;
  } finally {
    await store.close();
  }
}
