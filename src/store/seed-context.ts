import { readFileSync } from 'node:fs';
import path from 'node:path';
import { base, en, Faker } from '@faker-js/faker';

export interface SeedContext {
  seed: number;
  /** A faker of this section's own, seeded and with a fixed reference date, so output never depends on "now". */
  faker: Faker;
  /** Parsed `fixtures/<section>/<name>.json`. */
  fixture<T = unknown>(name: string): T;
}

const referenceDate = new Date('2024-06-01T00:00:00Z');

export function seedContext(fixturesDir: string, section: string, seed: number): SeedContext {
  const faker = new Faker({ locale: [en, base] });
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
