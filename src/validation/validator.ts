import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface SchemaIssue {
  path: string;
  message: string;
}

/**
 * Every JSON Schema under schemas/, loaded at start and each compiled on its
 * first use (compiling them all up front was most of the start-up time). A
 * schema's id is its path without the extension (`cloudmc/image-list`);
 * `$ref`s between schemas are relative to it (`"$ref": "image"` beside
 * `cloudmc/image-list`). `problems()` checks and compiles them all, for the
 * test suite.
 */
export class Validator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly raw = new Map<string, Record<string, unknown>>();

  constructor(schemasDir: string) {
    // strict mode would reject the vendor keywords real services put in their schemas;
    // the meta-schema check moves to problems() so start-up does not pay for it
    this.ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
    addFormats(this.ajv);
    for (const file of listJson(schemasDir)) {
      const id = path
        .relative(schemasDir, file)
        .replace(/\\/g, '/')
        .replace(/\.json$/, '');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      this.raw.set(id, schema);
      this.ajv.addSchema({ ...schema, $id: id }, id);
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

  private compile(id: string): ValidateFunction {
    if (!this.raw.has(id)) throw new Error(`no schema '${id}' under schemas/`);
    const validate = this.ajv.getSchema(id) as ValidateFunction;
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

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
