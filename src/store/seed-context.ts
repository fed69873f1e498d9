import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';

// Loaded on the first seeding, not at start-up: a store seeded from the build's snapshot (seed-snapshot.ts)
// never needs faker. The English entry point loads in a fraction of the time of the package root, which
// loads every locale. (require() of an ES module: Node 20.19 and later, as package.json's engines say.)
const require = createRequire(import.meta.url);
let english: Faker | undefined;
const loadEnglish = () => (english ??= (require('@faker-js/faker/locale/en') as { faker: Faker }).faker);

export interface SeedContext {
  seed: number;
  /** A faker of this section's own, seeded and with a fixed reference date, so output never depends on "now". */
  faker: Faker;
  /** Parsed `fixtures/<section>/<name>.json`. */
  fixture<T = unknown>(name: string): T;
}

const referenceDate = new Date('2024-06-01T00:00:00Z');

export function seedContext(fixturesDir: string, section: string, seed: number): SeedContext {
  const en = loadEnglish();
  const FakerClass = en.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;
  const faker = new FakerClass({ locale: en.rawDefinitions });
  faker.seed(seed);
  faker.setDefaultRefDate(referenceDate);
  return {
    seed,
    faker,
    fixture<T>(name: string): T {
      const file = path.join(fixturesDir, section, `${name}.json`);
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    },
  };
}
