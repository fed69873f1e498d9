import path from 'node:path';
import type { AuthDoc, EndpointDoc, Provider } from '../providers/provider.js';
import type { Validator } from '../validation/validator.js';

type Json = Record<string, unknown>;

/**
 * An OpenAPI 3.1 document for one provider, built from the same schemas/
 * files the mock validates its responses with: every schema of the
 * provider becomes a component (relative `$ref`s rewritten to component
 * references), and the provider's `endpoints` become the paths.
 */
export function openApiDocument(
  provider: Provider,
  validator: Validator,
  serverUrl: string,
  version: string,
): Json {
  const ids = schemaClosure(provider, validator);
  const schemas: Json = {};
  for (const id of ids) schemas[componentName(provider, id)] = componentSchema(provider, validator, id);
  const components: Json = { schemas };
  const auth = provider.auth;
  if (auth) components.securitySchemes = { credentials: securityScheme(auth) };
  const paths: Json = {};
  for (const endpoint of provider.endpoints ?? []) {
    const item = (paths[endpoint.path] ??= {}) as Json;
    item[endpoint.method.toLowerCase()] = operation(provider, endpoint, auth !== undefined);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: provider.title,
      version,
      description:
        `Emulated by image-api-mocks under ${provider.mountPaths.join(', ')}. Generated from schemas/${provider.name}/, ` +
        'the schemas every response of the mock is validated against.' +
        (provider.endpoints
          ? ''
          : ' This provider does not list its operations yet: only its schemas are shown.'),
    },
    servers: [{ url: serverUrl }],
    paths,
    components,
  };
}

function operation(provider: Provider, e: EndpointDoc, secured: boolean): Json {
  const pathParams = [...e.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const declared = e.parameters ?? [];
  const parameters = [
    ...pathParams
      .filter((name) => !declared.some((p) => p.name === name && p.in === 'path'))
      .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...declared.map((p) => ({
      name: p.name,
      in: p.in,
      ...(p.description ? { description: p.description } : {}),
      required: p.in === 'path' ? true : (p.required ?? false),
      schema: p.schema ?? { type: 'string' },
    })),
  ];
  const op: Json = {
    operationId: `${e.method.toLowerCase()}${e.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    ...(parameters.length ? { parameters } : {}),
  };
  if (e.request) {
    op.requestBody = {
      required: true,
      content: { [e.request.contentType ?? 'application/json']: { schema: ref(provider, e.request.schema) } },
    };
  }
  op.responses = Object.fromEntries(
    e.responses.map((r) => [
      String(r.status),
      {
        description: r.description,
        ...(r.schema
          ? { content: { [r.contentType ?? 'application/json']: { schema: ref(provider, r.schema) } } }
          : {}),
      },
    ]),
  );
  if (secured) op.security = [{ credentials: [] }];
  return op;
}

function securityScheme(auth: AuthDoc): Json {
  return auth.type === 'apiKey'
    ? {
        type: 'apiKey',
        in: auth.in,
        name: auth.name,
        ...(auth.description ? { description: auth.description } : {}),
      }
    : { type: 'http', scheme: auth.scheme, ...(auth.description ? { description: auth.description } : {}) };
}

/** The provider's own schemas plus every schema they (or its endpoints) refer to. */
function schemaClosure(provider: Provider, validator: Validator): string[] {
  const pending = validator.ids().filter((id) => id.startsWith(`${provider.name}/`));
  for (const e of provider.endpoints ?? []) {
    if (e.request) pending.push(e.request.schema);
    for (const r of e.responses) if (r.schema) pending.push(r.schema);
  }
  const seen = new Set<string>();
  while (pending.length) {
    const id = pending.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    walkRefs(validator.schema(id), (target) => {
      if (!target.startsWith('#')) pending.push(resolveId(id, target.split('#')[0]!));
      return target;
    });
  }
  return [...seen].sort();
}

function componentSchema(provider: Provider, validator: Validator, id: string): unknown {
  const { $schema: _dialect, $id: _id, ...schema } = validator.schema(id);
  return walkRefs(schema, (target) => {
    const [file, fragment] = target.split('#') as [string, string | undefined];
    const targetId = file === '' ? id : resolveId(id, file);
    return `#/components/schemas/${componentName(provider, targetId)}${fragment ?? ''}`;
  });
}

const ref = (provider: Provider, id: string) => ({
  $ref: `#/components/schemas/${componentName(provider, id)}`,
});

/** `cloudmc/image-list` → `image-list` inside its provider's document; other folders keep theirs. */
export function componentName(provider: Provider, id: string): string {
  const own = id.startsWith(`${provider.name}/`) ? id.slice(provider.name.length + 1) : id;
  return own.replace(/\//g, '.');
}

const resolveId = (from: string, target: string) => path.posix.join(path.posix.dirname(from), target);

function walkRefs(value: unknown, rewrite: (target: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => walkRefs(v, rewrite));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof v === 'string' ? rewrite(v) : walkRefs(v, rewrite);
  }
  return out;
}
