import { pythonPformat, pythonRepr } from './python-text.js';

type Schema = Record<string, unknown>;

interface Failure {
  message: string;
  keyword: string;
  schemaPath: (string | number)[];
  subschema: Schema;
  instancePath: (string | number)[];
  instance: unknown;
}

/**
 * Glance validates request bodies with Python's jsonschema and answers its
 * `str(ValidationError)` verbatim. This checks the keywords Glance's image
 * and member schemas use (type, enum, maxLength, pattern, items,
 * additionalProperties) and words the best failure the way jsonschema does.
 * Returns null when the object is valid.
 */
export function schemaFailure(
  schemaName: string,
  schema: Schema,
  instance: Record<string, unknown>,
): string | null {
  const failures: Failure[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [name, subschema] of Object.entries(properties)) {
    if (Object.hasOwn(instance, name)) {
      const f = check(subschema, instance[name], ['properties', name], [name]);
      if (f) failures.push(f);
    }
  }
  const extra = schema.additionalProperties;
  if (extra && typeof extra === 'object') {
    for (const [name, value] of Object.entries(instance)) {
      if (Object.hasOwn(properties, name)) continue;
      const f = check(extra as Schema, value, ['additionalProperties'], [name]);
      if (f) failures.push(f);
    }
  }
  if (failures.length === 0) return null;
  // jsonschema's best_match prefers the shallowest error, the first among equals
  const best = failures.reduce((a, b) => (b.instancePath.length < a.instancePath.length ? b : a));
  return `Provided object does not match schema '${schemaName}': ${describe(best)}`;
}

function describe(f: Failure): string {
  const index = (container: string, path: (string | number)[]) =>
    path.length === 0 ? container : `${container}[${path.map((p) => pythonRepr(p)).join('][')}]`;
  const pretty = (value: unknown) => pythonPformat(value).replace(/\n/g, '\n    ');
  return (
    `${f.message}\n\nFailed validating ${pythonRepr(f.keyword)} in ${index('schema', f.schemaPath)}:\n` +
    `    ${pretty(f.subschema)}\n\nOn ${index('instance', f.instancePath)}:\n    ${pretty(f.instance)}`
  );
}

function check(
  schema: Schema,
  value: unknown,
  schemaPath: (string | number)[],
  instancePath: (string | number)[],
): Failure | null {
  const fail = (keyword: string, message: string): Failure => ({
    message,
    keyword,
    schemaPath,
    subschema: schema,
    instancePath,
    instance: value,
  });
  for (const keyword of Object.keys(schema)) {
    switch (keyword) {
      case 'type': {
        const types = ([] as string[]).concat(schema.type as string | string[]);
        if (!types.some((t) => isType(value, t))) {
          return fail(
            'type',
            `${pythonRepr(value)} is not of type ${types.map((t) => pythonRepr(t)).join(', ')}`,
          );
        }
        break;
      }
      case 'enum': {
        const allowed = schema.enum as unknown[];
        if (!allowed.some((a) => a === value))
          return fail('enum', `${pythonRepr(value)} is not one of ${pythonRepr(allowed)}`);
        break;
      }
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > (schema.maxLength as number))
          return fail('maxLength', `${pythonRepr(value)} is too long`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(schema.pattern as string, 'u').test(value))
          return fail('pattern', `${pythonRepr(value)} does not match ${pythonRepr(schema.pattern)}`);
        break;
      case 'items':
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const f = check(schema.items as Schema, value[i], [...schemaPath, 'items'], [...instancePath, i]);
            if (f) return f;
          }
        }
        break;
    }
  }
  return null;
}

/** JSON Schema's `type` test, as jsonschema applies it. */
export function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}
