import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixturesDir } from '../../src/paths.js';
import { providers } from '../../src/providers/index.js';
import { AtomicJsonFile, StoreLoadError } from '../../src/store/atomic-json-file.js';
import { MEMORY, Store } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

// Pass-through unless a test makes one call fail, to simulate a crash between write and rename.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, rename: vi.fn(real.rename) };
});

const sections = providers.map((p) => p.store);
const open = (location: string, seed = 42) => Store.open({ location, sections, seed, fixturesDir });

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
const temp = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
};

describe('Store', () => {
  it('seeds each section into its own file on first start', async () => {
    const dir = temp();
    const store = await open(dir);
    for (const name of store.sectionNames()) {
      const file = path.join(dir, `${name}.json`);
      expect(store.fileOf(name)).toBe(file);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(store.data(name));
    }
    await store.close();
  });

  it('keeps an acknowledged write across a restart', async () => {
    const dir = temp();
    const first = await open(dir);
    const images = first.data('cloudmc').images as { description: string }[];
    images[0]!.description = 'changed before the restart';
    images.splice(1, 1);
    await first.commit('cloudmc');
    // No close(): the write was acknowledged, so a crash right now must not lose it.
    const second = await open(dir);
    expect(second.data('cloudmc').images).toEqual(images);
    const reloaded = second.data('cloudmc').images as { description: string }[];
    expect(reloaded[0]?.description).toBe('changed before the restart');
    await Promise.all([first.close(), second.close()]);
  });

  it('the same seed gives byte-identical data; another seed changes the generated part only', async () => {
    const a = JSON.stringify((await open(MEMORY, 7)).data('cloudmc'));
    const b = JSON.stringify((await open(MEMORY, 7)).data('cloudmc'));
    const c = JSON.stringify((await open(MEMORY, 8)).data('cloudmc'));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(c).toContain('a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110');
  });

  it('reset puts back the fixtures, with another seed when asked', async () => {
    const store = await open(MEMORY, 7);
    const pristine = JSON.stringify(store.data('cloudmc'));
    (store.data('cloudmc').images as unknown[]).length = 0;
    const replaced: string[] = [];
    store.onReplace((s) => replaced.push(s));
    await store.reset();
    expect(JSON.stringify(store.data('cloudmc'))).toBe(pristine);
    expect(replaced).toContain('cloudmc');
    await store.reset(8);
    expect(store.seed).toBe(8);
    expect(JSON.stringify(store.data('cloudmc'))).toBe(
      JSON.stringify((await open(MEMORY, 8)).data('cloudmc')),
    );
  });

  it('in memory: no files, commits resolve at once', async () => {
    const store = await open(MEMORY);
    expect(store.persistent).toBe(false);
    expect(store.fileOf('cloudmc')).toBeNull();
    await expect(store.commit('cloudmc')).resolves.toBeUndefined();
    await store.close();
  });

  it('refuses a corrupt store file with a message naming the file and the fix, and leaves it untouched', async () => {
    const dir = temp();
    await (await open(dir)).close();
    const file = path.join(dir, 'cloudmc.json');
    writeFileSync(file, '{"connections": [');
    const err = await open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLoadError);
    const message = (err as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(/not valid JSON/);
    expect(message).toMatch(/MOCK_STORE=:memory:/);
    expect(readFileSync(file, 'utf8')).toBe('{"connections": [');
  });

  it('refuses a store file of the wrong shape', async () => {
    const dir = temp();
    await (await open(dir)).close();
    const file = path.join(dir, 'cloudmc.json');
    writeFileSync(file, '{"connections": [], "apiKeys": []}');
    await expect(open(dir)).rejects.toThrow(/collection 'images' is missing/);
    writeFileSync(file, '[1,2]');
    await expect(open(dir)).rejects.toThrow(/no JSON object/);
  });
});

describe('AtomicJsonFile', () => {
  it('a write that fails before the rename leaves the old file whole and no temp file behind', async () => {
    const dir = temp();
    const file = path.join(dir, 's.json');
    const adapter = new AtomicJsonFile<{ v: number }>(file, () => null);
    await adapter.write({ v: 1 });
    vi.mocked(rename).mockRejectedValueOnce(Object.assign(new Error('simulated crash'), { code: 'EIO' }));
    await expect(adapter.write({ v: 2 })).rejects.toThrow('simulated crash');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 1 });
    expect(readdirSync(dir)).toEqual(['s.json']);
  });

  it('reads a missing file as no data', async () => {
    const adapter = new AtomicJsonFile(path.join(temp(), 'none.json'), () => null);
    await expect(adapter.read()).resolves.toBeNull();
  });
});
