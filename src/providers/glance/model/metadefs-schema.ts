import { pythonPformat, pythonRepr } from './python-text.js';
import { isType } from './schema-check.js';

type Schema = Record<string, unknown>;
type Path = (string | number)[];

interface Failure {
  message: string;
  keyword: string;
  schemaPath: Path;
  subschema: Schema;
  instancePath: Path;
  instance: unknown;
}

/**
 * Python's jsonschema over the metadefs request schemas, worded as Glance
 * answers it: `Provided object does not match schema '<name>': ` and
 * `str(ValidationError)` of jsonschema's best match (the shallowest error,
 * the first among equals, in the order jsonschema walks the schema's
 * keywords). Covers the keywords those schemas use: type, enum, maxLength,
 * minimum, minItems, uniqueItems, required, properties,
 * additionalProperties, items, allOf and local `$ref`s (which jsonschema
 * leaves out of the schema path). Null when the body is valid.
 */
export function metadefSchemaFailure(schema: Schema, instance: unknown): string | null {
  const failures: Failure[] = [];
  walk(schema, schema, instance, [], [], failures);
  if (failures.length === 0) return null;
  const best = failures.reduce((a, b) => (b.instancePath.length < a.instancePath.length ? b : a));
  const index = (container: string, path: Path) =>
    path.length === 0 ? container : `${container}[${path.map((p) => pythonRepr(p)).join('][')}]`;
  const pretty = (value: unknown) => pythonPformat(value).replace(/\n/g, '\n    ');
  return (
    `Provided object does not match schema '${String(schema.name)}': ${best.message}\n\n` +
    `Failed validating ${pythonRepr(best.keyword)} in ${index('schema', best.schemaPath)}:\n` +
    `    ${pretty(best.subschema)}\n\nOn ${index('instance', best.instancePath)}:\n    ${pretty(best.instance)}`
  );
}

function resolve(root: Schema, ref: string): Schema {
  let at: unknown = root;
  for (const part of ref.replace(/^#\//, '').split('/')) at = (at as Schema)[part];
  return at as Schema;
}

function walk(
  root: Schema,
  schema: Schema,
  value: unknown,
  schemaPath: Path,
  instancePath: Path,
  out: Failure[],
): void {
  if (typeof schema.$ref === 'string') {
    walk(root, resolve(root, schema.$ref), value, schemaPath, instancePath, out);
    return;
  }
  const fail = (keyword: string, message: string) =>
    out.push({ message, keyword, schemaPath, subschema: schema, instancePath, instance: value });
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  for (const keyword of Object.keys(schema)) {
    switch (keyword) {
      case 'type': {
        const types = ([] as string[]).concat(schema.type as string | string[]);
        if (!types.some((t) => isType(value, t))) {
          fail('type', `${pythonRepr(value)} is not of type ${types.map((t) => pythonRepr(t)).join(', ')}`);
        }
        break;
      }
      case 'enum':
        if (!(schema.enum as unknown[]).some((a) => a === value)) {
          fail('enum', `${pythonRepr(value)} is not one of ${pythonRepr(schema.enum)}`);
        }
        break;
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > (schema.maxLength as number)) {
          fail('maxLength', `${pythonRepr(value)} is too long`);
        }
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (schema.minimum as number)) {
          fail('minimum', `${pythonRepr(value)} is less than the minimum of ${pythonRepr(schema.minimum)}`);
        }
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (schema.minItems as number)) {
          fail('minItems', `${pythonRepr(value)} is too short`);
        }
        break;
      case 'uniqueItems':
        if (schema.uniqueItems === true && Array.isArray(value)) {
          const seen = value.map((v) => pythonRepr(v));
          if (new Set(seen).size !== seen.length)
            fail('uniqueItems', `${pythonRepr(value)} has non-unique elements`);
        }
        break;
      case 'required':
        if (isObject) {
          for (const name of schema.required as string[]) {
            if (!Object.hasOwn(value, name)) fail('required', `${pythonRepr(name)} is a required property`);
          }
        }
        break;
      case 'properties':
        if (isObject) {
          for (const [name, sub] of Object.entries(schema.properties as Record<string, Schema>)) {
            if (Object.hasOwn(value, name)) {
              walk(
                root,
                sub,
                (value as Schema)[name],
                [...schemaPath, 'properties', name],
                [...instancePath, name],
                out,
              );
            }
          }
        }
        break;
      case 'additionalProperties': {
        if (!isObject) break;
        const known = Object.keys(schema.properties ?? {});
        const extra = Object.keys(value).filter((k) => !known.includes(k));
        if (schema.additionalProperties === false) {
          if (extra.length > 0) {
            const names = extra.map((k) => pythonRepr(k)).join(', ');
            fail(
              'additionalProperties',
              `Additional properties are not allowed (${names} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
            );
          }
        } else if (typeof schema.additionalProperties === 'object') {
          for (const name of extra) {
            walk(
              root,
              schema.additionalProperties as Schema,
              (value as Schema)[name],
              [...schemaPath, 'additionalProperties'],
              [...instancePath, name],
              out,
            );
          }
        }
        break;
      }
      case 'items':
        if (Array.isArray(value)) {
          value.forEach((item, i) =>
            walk(root, schema.items as Schema, item, [...schemaPath, 'items'], [...instancePath, i], out),
          );
        }
        break;
      case 'allOf':
        (schema.allOf as Schema[]).forEach((sub, i) =>
          walk(root, sub, value, [...schemaPath, 'allOf', i], instancePath, out),
        );
        break;
    }
  }
}
