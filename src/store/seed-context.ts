import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Faker } from '@faker-js/faker';
// The English entry point loads in a fraction of the time of the package root, which loads every locale.
import { faker as english } from '@faker-js/faker/locale/en';

const FakerClass = english.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;

export interface SeedContext {
  seed: number;
  /** A faker of this section's own, seeded and with a fixed reference date, so output never depends on "now". */
  faker: Faker;
  /** Parsed `fixtures/<section>/<name>.json`. */
  fixture<T = unknown>(name: string): T;
}

const referenceDate = new Date('2024-06-01T00:00:00Z');

export function seedContext(fixturesDir: string, section: string, seed: number): SeedContext {
  const faker = new FakerClass({ locale: english.rawDefinitions });
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
