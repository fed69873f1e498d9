import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemasDir } from '../../src/paths.js';
import { Validator } from '../../src/validation/validator.js';
import { tempDir } from '../helpers.js';

// Start-up compiles a schema only when it is first used; this is where every one is proven sound.
describe('every schema under schemas/', () => {
  it('passes its meta-schema and compiles', () => {
    expect(new Validator(schemasDir).problems()).toEqual([]);
  });
});

describe('Validator.problems', () => {
  const { dir, cleanup } = tempDir('iam-schemas-');
  afterAll(cleanup);
  mkdirSync(path.join(dir, 'p'));
  writeFileSync(path.join(dir, 'p', 'good.json'), JSON.stringify({ type: 'object' }));
  writeFileSync(path.join(dir, 'p', 'bad-type.json'), JSON.stringify({ type: 'objekt' }));
  writeFileSync(path.join(dir, 'p', 'dangling.json'), JSON.stringify({ $ref: 'missing' }));
  const validator = new Validator(dir);

  it('names a schema that breaks the meta-schema and one whose $ref leads nowhere', () => {
    const problems = validator.problems();
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('p/bad-type:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('p/dangling:'))).toBe(true);
  });

  it('still checks data with the sound schemas', () => {
    expect(validator.check('p/good', {})).toBeNull();
    expect(validator.check('p/good', [])?.[0]?.message).toBe('must be object');
  });
});
