/**
 * `npm run build` runs this after tsc: every schema under schemas/ as
 * ajv standalone code (dist/validation/precompiled.cjs), so that serving
 * neither loads ajv's compiler nor compiles a schema on first use. Each
 * validator carries the hash of the schema text it came from; the Validator
 * compiles a schema afresh when its file no longer matches.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _ } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { schemasDir } from '../paths.js';
import { listJson, PRECOMPILED_FILE, schemaAjv, schemaHash } from './validator.js';

/** CommonJS source exporting a validator per schema id, and `schemaHashes`. */
export function precompiledSource(dir: string): string {
  const schemas = new Map<string, Record<string, unknown>>();
  const hashes: Record<string, string> = {};
  for (const file of listJson(dir)) {
    const id = path
      .relative(dir, file)
      .replace(/\\/g, '/')
      .replace(/\.json$/, '');
    const text = readFileSync(file, 'utf8');
    schemas.set(id, JSON.parse(text) as Record<string, unknown>);
    hashes[id] = schemaHash(text);
  }
  const ajv = schemaAjv(schemas, {
    code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  const code = (standaloneCode as unknown as (a: typeof ajv, refs: Record<string, string>) => string)(
    ajv,
    Object.fromEntries([...schemas.keys()].map((id) => [id, id])),
  );
  return `${code}\nexports.schemaHashes = ${JSON.stringify(hashes)};\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PRECOMPILED_FILE, precompiledSource(schemasDir));
}
