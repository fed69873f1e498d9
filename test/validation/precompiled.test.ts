import { createRequire } from 'node:module';
import { compileFunction } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { schemasDir } from '../../src/paths.js';
import { precompiledSource } from '../../src/validation/precompile.js';
import { Validator } from '../../src/validation/validator.js';

/** The module `npm run build` writes, evaluated here (its requires resolve from this project). */
function precompiled() {
  const exports: Record<string, unknown> = {};
  compileFunction(precompiledSource(schemasDir), ['require', 'exports'])(
    createRequire(import.meta.url),
    exports,
  );
  return {
    validators: exports as Record<string, ValidateFunction>,
    schemaHashes: exports.schemaHashes as Record<string, string>,
  };
}

describe('validators precompiled at build time (ajv standalone)', () => {
  const built = precompiled();
  const fromAjv = new Validator(schemasDir, null);
  const fromBuild = new Validator(schemasDir, built);

  it('exist for every schema, with its hash', () => {
    expect(Object.keys(built.schemaHashes).sort()).toEqual(fromAjv.ids().sort());
    for (const id of fromAjv.ids()) expect(typeof built.validators[id]).toBe('function');
  });

  it('answer every schema with the same verdict and errors as ajv compiling it', () => {
    const inputs: unknown[] = [{}, [], null, 'x', 7, { id: 1, name: 2 }, { images: [{}] }, { error: {} }];
    for (const id of fromAjv.ids()) {
      for (const input of inputs)
        expect([id, fromBuild.check(id, input)]).toEqual([id, fromAjv.check(id, input)]);
    }
  });

  it('are used for an unchanged schema, and a changed schema is compiled afresh', () => {
    const id = 'glance/image';
    const refuseAll = Object.assign(() => false, { errors: [{ instancePath: '', message: 'stub' }] });
    const stubbed = {
      ...built,
      validators: { ...built.validators, [id]: refuseAll as unknown as ValidateFunction },
    };
    expect(new Validator(schemasDir, stubbed).check(id, {})).toEqual([{ path: '/', message: 'stub' }]);
    const stale = { ...stubbed, schemaHashes: { ...built.schemaHashes, [id]: 'an older schema' } };
    expect(new Validator(schemasDir, stale).check(id, {})).toEqual(fromAjv.check(id, {}));
  });
});
