import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';

const root = path.resolve(import.meta.dirname, '../../src/providers');
const folders = readdirSync(root).filter((name) => statSync(path.join(root, name)).isDirectory());
/** The roles every provider folder has, each a `.ts` file or (when large) a folder of that name. */
const ROLES = ['auth', 'drift', 'errors', 'index', 'model', 'record', 'routes', 'seed'];

const entries = (folder: string) =>
  readdirSync(path.join(root, folder)).map((name) => {
    const full = path.join(root, folder, name);
    return { name, full, dir: statSync(full).isDirectory() };
  });
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );

describe('every provider folder has one shape', () => {
  it('the folders are exactly the registered providers', () => {
    expect(folders.sort()).toEqual(providers.map((p) => p.name).sort());
  });

  for (const folder of folders) {
    it(`${folder}: the same top-level names as every other provider`, () => {
      const names = entries(folder).map((e) => (e.dir ? e.name : e.name.replace(/\.ts$/, '')));
      expect(names.sort()).toEqual(ROLES);
      for (const e of entries(folder)) {
        if (e.dir) expect(readdirSync(e.full), `${folder}/${e.name}/`).toContain('index.ts');
      }
    });

    it(`${folder}: imports no other provider, and its model no Express`, () => {
      for (const file of filesUnder(path.join(root, folder))) {
        const text = readFileSync(file, 'utf8');
        const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
        for (const spec of imports.filter((s) => s.startsWith('.'))) {
          const target = path.relative(root, path.resolve(path.dirname(file), spec));
          const [top] = target.split(path.sep);
          expect(top === folder || !folders.includes(top!), `${file} imports ${spec}`).toBe(true);
        }
        if (path.relative(path.join(root, folder), file).startsWith('model')) {
          expect(imports, `${file} is model: no Express`).not.toContain('express');
        }
      }
    });
  }
});
