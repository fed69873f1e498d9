import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { packageRoot } from '../paths.js';

// ajv is loaded only when a schema has no precompiled validator, or for problems() (start-up time)
const require = createRequire(import.meta.url);

export interface SchemaIssue {
  path: string;
  message: string;
}

/**
 * The standalone validators `npm run build` writes (precompile.ts), by schema id: named from the
 * package root, since the command-line entry point runs as one bundled file (rolldown.config.mjs).
 */
export const PRECOMPILED_FILE = path.join(packageRoot, 'dist', 'validation', 'precompiled.cjs');

interface Precompiled {
  validators: Record<string, ValidateFunction>;
  /** sha256 of the schema file each validator was generated from: a changed schema is compiled afresh. */
  schemaHashes: Record<string, string>;
}

function loadPrecompiled(): Precompiled | null {
  let module: Record<string, unknown>;
  try {
    module = require(PRECOMPILED_FILE) as Record<string, unknown>;
  } catch {
    return null; // not built: every schema is compiled by ajv
  }
  // the module exports each validator under its schema id (ids hold a '/'), and the hashes beside them
  return {
    validators: module as Record<string, ValidateFunction>,
    schemaHashes: module.schemaHashes as Record<string, string>,
  };
}

export const schemaHash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Every schema as ajv is given it, with the options used both here and for
 * the precompiled validators, so that both answer with the same errors.
 * Strict mode would reject the vendor keywords real services put in their
 * schemas; the meta-schema check is in problems(), so start-up does not pay
 * for it.
 */
export function schemaAjv(schemas: Map<string, Record<string, unknown>>, options: Options = {}): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  // ajv-formats is CommonJS: its export is the function itself
  const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;
  const ajv = new AjvClass({ strict: false, allErrors: false, validateSchema: false, ...options });
  addFormats(ajv);
  for (const [id, schema] of schemas) ajv.addSchema({ ...schema, $id: id }, id);
  return ajv;
}

/**
 * Every JSON Schema under schemas/, read at start. A schema's validator is
 * the one precompiled at build time when the schema file is unchanged since,
 * else compiled by ajv on its first use (compiling them all up front was most
 * of the start-up time, and loading ajv itself a good part of the rest). A
 * schema's id is its path without the extension (`cloudmc/image-list`);
 * `$ref`s between schemas are relative to it (`"$ref": "image"` beside
 * `cloudmc/image-list`). `problems()` checks and compiles them all, for the
 * test suite.
 */
export class Validator {
  private ajvInstance: Ajv | null = null;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly raw = new Map<string, Record<string, unknown>>();
  private readonly hashes = new Map<string, string>();

  constructor(
    schemasDir: string,
    private readonly precompiled: Precompiled | null = loadPrecompiled(),
  ) {
    for (const file of listJson(schemasDir)) {
      const id = path
        .relative(schemasDir, file)
        .replace(/\\/g, '/')
        .replace(/\.json$/, '');
      const text = readFileSync(file, 'utf8');
      this.raw.set(id, JSON.parse(text) as Record<string, unknown>);
      if (precompiled) this.hashes.set(id, schemaHash(text));
    }
  }

  ids(): string[] {
    return [...this.raw.keys()];
  }

  /** The schema as written in schemas/ (for serving to clients). */
  schema(id: string): Record<string, unknown> {
    const schema = this.raw.get(id);
    if (!schema) throw new Error(`no schema '${id}' under schemas/`);
    return schema;
  }

  /** null when valid, else what is wrong. */
  check(id: string, data: unknown): SchemaIssue[] | null {
    const validate = this.compiled.get(id) ?? this.compile(id);
    if (validate(data)) return null;
    return (validate.errors ?? []).map(describe);
  }

  /** Every schema that breaks its meta-schema or does not compile (a dangling $ref ...), with the reason. */
  problems(): string[] {
    const out: string[] = [];
    for (const [id, schema] of this.raw) {
      if (!this.ajv.validateSchema(schema)) {
        out.push(`${id}: ${this.ajv.errorsText(this.ajv.errors)}`);
        continue;
      }
      try {
        this.compile(id);
      } catch (err) {
        out.push(`${id}: ${(err as Error).message}`);
      }
    }
    return out;
  }

  private get ajv(): Ajv {
    return (this.ajvInstance ??= schemaAjv(this.raw));
  }

  private compile(id: string): ValidateFunction {
    if (!this.raw.has(id)) throw new Error(`no schema '${id}' under schemas/`);
    const pre = this.precompiled;
    const validate =
      pre?.validators[id] && pre.schemaHashes[id] === this.hashes.get(id)
        ? pre.validators[id]
        : (this.ajv.getSchema(id) as ValidateFunction);
    this.compiled.set(id, validate);
    return validate;
  }
}

function describe(error: ErrorObject): SchemaIssue {
  let where = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    where = `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`;
  } else if (error.keyword === 'required') {
    where = `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`;
  }
  return { path: where, message: error.message ?? error.keyword };
}

export function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
