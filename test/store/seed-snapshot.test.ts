import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.js';
import { fixturesDir } from '../../src/paths.js';
import { providers } from '../../src/providers/index.js';
import { SEEDS_FILE, seedLive, snapshotSeed, writeSeedSnapshot } from '../../src/store/seed-snapshot.js';
import { startBuiltServer } from '../e2e/run-server.js';
import { tempDir } from '../helpers.js';

const sections = providers.map((p) => p.store);
const { dir, cleanup } = tempDir('iam-seed-snapshot-');
afterAll(cleanup);

// `npm run build` writes dist/store/seeds.json (the test run builds first: package.json's pretest).
describe("the build's seed snapshot", () => {
  it('holds every section, for the default seed, as seeding it from these sources gives it', () => {
    expect(existsSync(SEEDS_FILE)).toBe(true);
    for (const section of sections)
      expect(snapshotSeed(section.name, fixturesDir, defaultConfig.seed, SEEDS_FILE), section.name).toEqual(
        seedLive(section, fixturesDir, defaultConfig.seed),
      );
  });
});

describe('a snapshot is used only for what it holds', () => {
  const file = path.join(dir, 'seeds.json');
  const fixtures = path.join(dir, 'fixtures');
  cpSync(fixturesDir, fixtures, { recursive: true });
  writeSeedSnapshot(sections, fixtures, 7, file);
  const alliance = sections.find((s) => s.name === 'alliance')!;

  it('the same seed and fixtures: a fresh copy of the seeded records each time', () => {
    const first = snapshotSeed('alliance', fixtures, 7, file)!;
    expect(first).toEqual(seedLive(alliance, fixtures, 7));
    const second = snapshotSeed('alliance', fixtures, 7, file)!;
    expect(second).not.toBe(first);
    expect(second.images![0]).not.toBe(first.images![0]);
    expect(Object.isFrozen(second.images![0])).toBe(false);
  });

  it('another seed, another section or other fixtures: not from the snapshot', () => {
    expect(snapshotSeed('alliance', fixtures, 8, file)).toBeNull();
    expect(snapshotSeed('nowhere', fixtures, 7, file)).toBeNull();
    const changed = path.join(dir, 'changed');
    cpSync(fixturesDir, changed, { recursive: true });
    writeFileSync(path.join(changed, 'alliance', 'images.json'), '[]');
    expect(snapshotSeed('alliance', changed, 7, file)).toBeNull();
    expect(snapshotSeed('cloudmc', changed, 7, file)).not.toBeNull();
    expect(snapshotSeed('alliance', fixtures, 7, path.join(dir, 'missing.json'))).toBeNull();
  });

  it('a fixture edited after a first use is seeded from, as a reset after the edit would', () => {
    const edited = path.join(dir, 'edited');
    cpSync(fixturesDir, edited, { recursive: true });
    expect(snapshotSeed('alliance', edited, 7, file)).not.toBeNull();
    writeFileSync(path.join(edited, 'alliance', 'images.json'), '[]');
    expect(snapshotSeed('alliance', edited, 7, file)).toBeNull();
  });
});

describe('the built server', () => {
  it('seeds another seed than the snapshot with faker, loaded only then', async () => {
    const list = async (env: Record<string, string>) => {
      const server = await startBuiltServer({
        MOCK_STORE: ':memory:',
        NODE_OPTIONS: `--import ${path.join(import.meta.dirname, 'kit', 'report-faker.mjs')}`,
        ...env,
      });
      try {
        const res = await fetch(`${server.url}/api/v1/services/stackpath/production/images`, {
          headers: { 'MC-Api-Key': 'mc-demo-key' },
        });
        expect(res.status).toBe(200);
        return { body: await res.text(), faker: server.output().includes('faker loaded') };
      } finally {
        await server.stop();
      }
    };
    const seeded = await list({});
    expect(seeded.faker).toBe(false);
    const other = await list({ MOCK_SEED: '7' });
    expect(other.body).not.toBe(seeded.body);
    expect(other.faker).toBe(true);
    expect(await list({ MOCK_SEED: String(defaultConfig.seed) })).toEqual(seeded);
  });
});
