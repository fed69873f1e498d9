import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';
import { testContext } from '../helpers.js';

const src = path.resolve(import.meta.dirname, '../../src');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
const outsideStore = sources(src).filter((f) => !f.startsWith(path.join(src, 'store') + path.sep));

/** Deep: every object and array inside is frozen too. */
const deeplyFrozen = (value: unknown): boolean =>
  typeof value !== 'object' ||
  value === null ||
  (Object.isFrozen(value) && Object.values(value).every(deeplyFrozen));

describe('the store owns every write', () => {
  it('no source outside src/store/ reaches lowdb, the section files or a section’s raw arrays', () => {
    const offenders = outsideStore.filter((file) =>
      /from 'lowdb|store\/section-(file|log)\.js'|\.arrays\(\)|\.db\.data/.test(readFileSync(file, 'utf8')),
    );
    // the CLI reports store errors by their type (src/store/errors.ts); section-file is imported nowhere else
    expect(offenders.filter((f) => !/src\/main\.ts$/.test(f)).map((f) => path.relative(src, f))).toEqual([]);
  });

  it('every record of every collection, and the read-only view, is frozen: a change in place throws', async () => {
    const ctx = await testContext();
    for (const provider of providers) {
      for (const [name, collection] of ctx.store.collections(provider.name)) {
        expect(Object.isFrozen(collection.all()), `${provider.name}/${name}`).toBe(true);
        expect(collection.all().every(deeplyFrozen), `${provider.name}/${name}`).toBe(true);
      }
      const view = ctx.store.data(provider.name);
      expect(Object.isFrozen(view)).toBe(true);
      for (const records of Object.values(view))
        expect(() => (records as unknown[]).push({})).toThrow(TypeError);
    }
    await ctx.store.close();
  });
});
