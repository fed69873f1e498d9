import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../src/paths.js';
import type { StoredImage } from '../../src/providers/cloudmc/model.js';
import { providers } from '../../src/providers/index.js';
import { StoreLoadError } from '../../src/store/section-file.js';
import { snapshotId } from '../../src/store/section-log.js';
import { MEMORY, Store } from '../../src/store/store.js';
import { afterEachTest } from '../helpers.js';

const sections = providers.map((p) => p.store);
/** Without the directory lock: these tests play a restart after kill -9 by opening a directory again (see lock.test.ts). */
const open = (location: string, seed = 42, compactWhenIdleMs = 60_000) =>
  Store.open({ location, sections, seed, fixturesDir, compactWhenIdleMs, lock: false });

const { defer, temp } = afterEachTest();
/** Opened, and closed after the test (a store left open keeps its idle timer). */
const opened = async (location: string, seed = 42) => {
  const store = await open(location, seed);
  defer(() => store.close());
  return store;
};
const imagesOf = (store: Store) => store.collection<StoredImage>('cloudmc', 'images');
const copyOf = (image: StoredImage, id: string): StoredImage => ({ ...image, id, description: id });
const logLines = (dir: string) =>
  readFileSync(path.join(dir, 'cloudmc.json.log'), 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l));

describe('Store', () => {
  it('seeds each section into its own lowdb JSON file on first start', async () => {
    const dir = temp();
    const store = await opened(dir);
    for (const name of store.sectionNames()) {
      const file = path.join(dir, `${name}.json`);
      expect(store.fileOf(name)).toBe(file);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(store.data(name));
    }
  });

  it('keeps an acknowledged write across a restart without close (kill -9), replaying the log', async () => {
    const dir = temp();
    const first = await open(dir);
    const images = imagesOf(first);
    const [a, b] = images.all();
    await images.update(images.idOf(a!), { description: 'changed before the restart' });
    await images.remove(images.idOf(b!));
    await images.insert(copyOf(a!, 'added/one'));
    expect(existsSync(path.join(dir, 'cloudmc.json.log'))).toBe(true);
    const second = await opened(dir);
    expect(second.data('cloudmc')).toEqual(first.data('cloudmc'));
    expect(imagesOf(second).get(images.idOf(a!))?.description).toBe('changed before the restart');
    // the replayed log became one snapshot
    expect(existsSync(path.join(dir, 'cloudmc.json.log'))).toBe(false);
  });

  it('the writes of one tick are one log line (one fsync, applied whole or not at all)', async () => {
    const dir = temp();
    const store = await opened(dir);
    const images = imagesOf(store);
    const a = images.all()[0]!;
    await Promise.all([images.insert(copyOf(a, 'added/1')), images.insert(copyOf(a, 'added/2'))]);
    await images.remove('stackpath/added/1');
    const lines = logLines(dir);
    const base = snapshotId(readFileSync(path.join(dir, 'cloudmc.json'), 'utf8'));
    expect(lines[0]).toEqual({ base });
    expect(lines.slice(1)).toEqual([
      {
        ops: [
          { c: 'images', put: copyOf(a, 'added/1') },
          { c: 'images', put: copyOf(a, 'added/2') },
        ],
      },
      { ops: [{ c: 'images', del: 'stackpath/added/1' }] },
    ]);
  });

  it('folds the log into the snapshot on close and once writes pause', async () => {
    const dir = temp();
    const log = path.join(dir, 'cloudmc.json.log');
    const store = await Store.open({ location: dir, sections, seed: 42, fixturesDir, compactWhenIdleMs: 20 });
    const images = imagesOf(store);
    await images.insert(copyOf(images.all()[0]!, 'added/idle'));
    expect(existsSync(log)).toBe(true);
    await expect.poll(() => existsSync(log), { timeout: 2000 }).toBe(false);
    await images.insert(copyOf(images.all()[0]!, 'added/close'));
    expect(existsSync(log)).toBe(true);
    await store.close();
    expect(existsSync(log)).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, 'cloudmc.json'), 'utf8'))).toEqual(store.data('cloudmc'));
  });

  it('a replacement (reset, restore) is written as a snapshot, not as a log of every record', async () => {
    const dir = temp();
    const store = await opened(dir);
    await imagesOf(store).insert(copyOf(imagesOf(store).all()[0]!, 'added/x'));
    await store.reset();
    expect(existsSync(path.join(dir, 'cloudmc.json.log'))).toBe(false);
    expect(imagesOf(store).has('stackpath/added/x')).toBe(false);
  });

  it('drops a last group whose write was cut short (never acknowledged)', async () => {
    const dir = temp();
    const store = await open(dir);
    await imagesOf(store).insert(copyOf(imagesOf(store).all()[0]!, 'added/kept'));
    const expected = JSON.stringify(store.data('cloudmc'));
    const log = path.join(dir, 'cloudmc.json.log');
    writeFileSync(log, `${readFileSync(log, 'utf8')}{"ops":[{"c":"images","del":"sta`);
    expect(JSON.stringify((await opened(dir)).data('cloudmc'))).toBe(expected);
  });

  it('refuses a damaged log or one that does not fit, naming the file and line, and leaves both files as they were', async () => {
    const dir = temp();
    const store = await open(dir);
    await imagesOf(store).insert(copyOf(imagesOf(store).all()[0]!, 'added/x'));
    const log = path.join(dir, 'cloudmc.json.log');
    const snapshot = path.join(dir, 'cloudmc.json');
    const [header, group] = readFileSync(log, 'utf8').split('\n');
    const damaged = `${header}\nnot json\n${group}\n`;
    writeFileSync(log, damaged);
    const snapshotText = readFileSync(snapshot, 'utf8');
    const err = await open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLoadError);
    expect((err as Error).message).toContain(`${log}: line 2 is not a JSON object`);
    expect(readFileSync(log, 'utf8')).toBe(damaged);
    expect(readFileSync(snapshot, 'utf8')).toBe(snapshotText);

    writeFileSync(log, `${header}\n{"ops":[{"c":"images","del":"stackpath/no-such-image"}]}\n`);
    await expect(open(dir)).rejects.toThrow(/removes 'stackpath\/no-such-image'.*which it does not hold/);
    writeFileSync(log, `${header}\n{"ops":[{"c":"nothing","del":"x"}]}\n`);
    await expect(open(dir)).rejects.toThrow(/collection 'nothing' the section does not have/);
  });

  it('ignores a log left from before the snapshot it was folded into (crash between the two)', async () => {
    const dir = temp();
    const store = await open(dir);
    await imagesOf(store).insert(copyOf(imagesOf(store).all()[0]!, 'added/once'));
    const log = path.join(dir, 'cloudmc.json.log');
    const stale = readFileSync(log, 'utf8');
    await store.close(); // folds: the snapshot now holds 'added/once'
    writeFileSync(log, stale); // as if the crash came before the log was removed
    const again = await opened(dir);
    expect(imagesOf(again).filter((i) => i.id === 'added/once')).toHaveLength(1);
    expect(existsSync(log)).toBe(false);
  });

  it('replays a log an older mock left (changes by position), so an upgrade after a crash loses nothing', async () => {
    const dir = temp();
    await (await open(dir)).close();
    const snapshot = path.join(dir, 'cloudmc.json');
    const text = readFileSync(snapshot, 'utf8');
    const first = (JSON.parse(text) as { images: StoredImage[] }).images[0]!;
    const legacy = [
      JSON.stringify({ base: snapshotId(text) }),
      JSON.stringify({ ops: [{ c: 'images', at: 0, set: { ...first, description: 'set by position' } }] }),
      JSON.stringify({ ops: [{ c: 'images', at: 1, del: 1, put: [] }] }),
      '',
    ].join('\n');
    writeFileSync(`${snapshot}.log`, legacy);
    const store = await opened(dir);
    const images = imagesOf(store).all();
    expect(images[0]!.description).toBe('set by position');
    expect(images).toHaveLength((JSON.parse(text) as { images: unknown[] }).images.length - 1);
  });

  it('the same seed gives byte-identical data; another seed changes the generated part only', async () => {
    const a = JSON.stringify((await opened(MEMORY, 7)).data('cloudmc'));
    const b = JSON.stringify((await opened(MEMORY, 7)).data('cloudmc'));
    const c = JSON.stringify((await opened(MEMORY, 8)).data('cloudmc'));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(c).toContain('a8050b2b-39eb-4929-bce5-1af42055903e/ubuntu/v20201110');
  });

  it('reset puts back the fixtures, with another seed when asked', async () => {
    const store = await opened(MEMORY, 7);
    const pristine = JSON.stringify(store.data('cloudmc'));
    await imagesOf(store).replaceAll([]);
    await store.reset();
    expect(JSON.stringify(store.data('cloudmc'))).toBe(pristine);
    await store.reset(8);
    expect(store.seed).toBe(8);
    expect(JSON.stringify(store.data('cloudmc'))).toBe(
      JSON.stringify((await opened(MEMORY, 8)).data('cloudmc')),
    );
  });

  it('in memory: no files, writes resolve at once; the view is read-only', async () => {
    const store = await opened(MEMORY);
    expect(store.persistent).toBe(false);
    expect(store.fileOf('cloudmc')).toBeNull();
    const images = imagesOf(store);
    await expect(images.insert(copyOf(images.all()[0]!, 'added/m'))).resolves.toMatchObject({
      id: 'added/m',
    });
    expect(() => (store.data('cloudmc').images as unknown[]).push({})).toThrow(TypeError);
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

  it('refuses a store file of the wrong shape, a record that is no object, and two records with one id', async () => {
    const dir = temp();
    await (await open(dir)).close();
    const file = path.join(dir, 'cloudmc.json');
    const good = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown[]>;
    writeFileSync(file, '{"connections": [], "apiKeys": []}');
    await expect(open(dir)).rejects.toThrow(/collection 'images' is missing/);
    writeFileSync(file, '[1,2]');
    await expect(open(dir)).rejects.toThrow(/no JSON object/);
    writeFileSync(file, JSON.stringify({ ...good, images: [...good.images!, 5] }));
    await expect(open(dir)).rejects.toThrow(StoreLoadError);
    await expect(open(dir)).rejects.toThrow(/holds 5, not a JSON object/);
    writeFileSync(file, JSON.stringify({ ...good, images: [good.images![0], good.images![0]] }));
    await expect(open(dir)).rejects.toThrow(/two records with id/);
  });
});
