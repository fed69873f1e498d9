/**
 * The seeded sections, computed at build time. Seeding runs faker over the
 * fixtures, and loading faker and running it was a sixth of the start-up
 * time (docs/performance.md), for output that is the same on every start:
 * the same seed and fixtures give the same records. `npm run build` writes
 * each section's seeded records for the default seed into
 * dist/store/seeds.json, with the hash of the fixture files they came from;
 * a store opened with that seed and those fixtures takes its records from
 * there, and any other seed or a changed fixture is seeded as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../paths.js';
import { seedContext } from './seed-context.js';
import type { SectionArrays, StoreSection } from './store.js';

export const SEEDS_FILE = path.join(packageRoot, 'dist', 'store', 'seeds.json');

interface SeedSnapshot {
  seed: number;
  /** Per section: the hash of its fixture files and its seeded records as JSON text. */
  sections: Record<string, { fixtures: string; records: string }>;
}

/** The hash of `fixtures/<section>/`: every file's name and bytes, in name order. */
function fixturesHash(fixturesDir: string, section: string): string {
  const dir = path.join(fixturesDir, section);
  const hash = createHash('sha256');
  if (existsSync(dir))
    for (const name of readdirSync(dir).sort()) {
      hash.update(`${name}\0`);
      hash.update(readFileSync(path.join(dir, name)));
      hash.update('\0');
    }
  return hash.digest('hex');
}

/** The records `section` seeds with `seed` from `fixturesDir`, by running its seed function. */
export function seedLive(section: StoreSection, fixturesDir: string, seed: number): SectionArrays {
  return section.seed(seedContext(fixturesDir, section.name, seed));
}

/** `npm run build`: every section seeded with `seed`, written to `file`. */
export function writeSeedSnapshot(
  sections: readonly StoreSection[],
  fixturesDir: string,
  seed: number,
  file = SEEDS_FILE,
): void {
  const snapshot: SeedSnapshot = { seed, sections: {} };
  for (const section of sections)
    snapshot.sections[section.name] = {
      fixtures: fixturesHash(fixturesDir, section.name),
      records: JSON.stringify(seedLive(section, fixturesDir, seed)),
    };
  writeFileSync(file, JSON.stringify(snapshot));
}

/**
 * Only code that was built reads the snapshot: the build wrote it from the
 * same sources. Run from src/ (the tests), a seed function may have changed
 * since the last build, so sections are always seeded there.
 */
const built = fileURLToPath(import.meta.url).startsWith(path.join(packageRoot, 'dist') + path.sep);

let loaded: { file: string; snapshot: SeedSnapshot | null } | undefined;

/**
 * A section's seeded records from the snapshot, a fresh copy each time (a
 * store freezes what it loads), or null when the snapshot does not hold
 * what seeding would give now: another seed, changed fixtures, no snapshot.
 */
export function snapshotSeed(
  section: string,
  fixturesDir: string,
  seed: number,
  file = built ? SEEDS_FILE : null,
): SectionArrays | null {
  if (file === null) return null;
  if (loaded?.file !== file) loaded = { file, snapshot: readSnapshot(file) };
  const entry = loaded.snapshot?.seed === seed ? loaded.snapshot.sections[section] : undefined;
  // hashed on every seeding, as seeding read them each time: fixtures edited while the server runs show
  // on the next reset
  if (!entry || fixturesHash(fixturesDir, section) !== entry.fixtures) return null;
  return JSON.parse(entry.records) as SectionArrays;
}

function readSnapshot(file: string): SeedSnapshot | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SeedSnapshot;
  } catch {
    return null; // not built, or unreadable: seeding it is
  }
}
