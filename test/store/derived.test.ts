import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../src/paths.js';
import { providers } from '../../src/providers/index.js';
import { MEMORY, Store } from '../../src/store/store.js';

const open = () =>
  Store.open({ location: MEMORY, sections: providers.map((p) => p.store), seed: 42, fixturesDir });

describe('Store.derived: values computed from a section, kept until it changes', () => {
  it('builds once and reuses the value while the section is unchanged', async () => {
    const store = await open();
    let builds = 0;
    const count = () =>
      store.derived('cloudmc', 'count', () => {
        builds += 1;
        return store.data('cloudmc').images!.length;
      });
    const first = count();
    expect(count()).toBe(first);
    expect(builds).toBe(1);
    await store.close();
  });

  it('rebuilds after a commit, and the version moves', async () => {
    const store = await open();
    const images = store.data('cloudmc').images!;
    const count = () => store.derived('cloudmc', 'count', () => images.length);
    const before = count();
    const version = store.version('cloudmc');
    images.push({ ...(images[0] as object) });
    await store.commit('cloudmc');
    expect(store.version('cloudmc')).toBeGreaterThan(version);
    expect(count()).toBe(before + 1);
    await store.close();
  });

  it('rebuilds after a reset replaces the section, and only that section is affected', async () => {
    const store = await open();
    const images = () => store.data('cloudmc').images!;
    const seeded = images().length;
    images().length = 0;
    await store.commit('cloudmc');
    const sharedcloudVersion = store.version('sharedcloud');
    expect(store.derived('cloudmc', 'count', () => images().length)).toBe(0);
    await store.reset(42, ['cloudmc']);
    expect(store.derived('cloudmc', 'count', () => images().length)).toBe(seeded);
    expect(store.version('sharedcloud')).toBe(sharedcloudVersion);
    await store.close();
  });

  it('keeps a bounded number of values, dropping the oldest first', async () => {
    const store = await open();
    for (let i = 0; i < 10_001; i++) store.derived('cloudmc', `k${i}`, () => i);
    let rebuilt = false;
    store.derived('cloudmc', 'k0', () => (rebuilt = true));
    expect(rebuilt).toBe(true);
    expect(store.derived('cloudmc', 'k10000', () => -1)).toBe(10_000);
    await store.close();
  });
});
