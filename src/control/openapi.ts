import path from 'node:path';
import type { MockContext } from '../context.js';
import {
  type Method,
  type Operation,
  operationsOf,
  type ResponseDoc,
  type RouteTable,
} from '../http/route-table.js';
import { type AuthDoc, type Provider, routesOf } from '../providers/provider.js';
import type { Validator } from '../validation/validator.js';

type Json = Record<string, unknown>;

/**
 * An OpenAPI 3.1 document for one provider, built from the same schemas/
 * files the mock validates its responses with: every schema of the
 * provider becomes a component (relative `$ref`s rewritten to component
 * references), and the operations of the provider's route table (the
 * same declarations its router is built from) become the paths.
 */
export function openApiDocument(
  ctx: MockContext,
  provider: Provider,
  serverUrl: string,
  version: string,
): Json {
  const validator = ctx.validator;
  const table = routesOf(ctx, provider);
  const operations = provider.mountPaths.flatMap((mount) => operationsOf(table, mount));
  const ids = schemaClosure(provider, validator, table);
  const schemas: Json = {};
  for (const id of ids) schemas[componentName(provider, id)] = componentSchema(provider, validator, id);
  const components: Json = { schemas };
  const auth = provider.auth;
  if (auth) components.securitySchemes = { credentials: securityScheme(auth) };
  const paths: Json = {};
  for (const { method, path: template, op, anyMethod, errors } of operations) {
    const item = (paths[template] ??= {}) as Json;
    item[method.toLowerCase()] = operation(
      provider,
      method,
      template,
      op,
      errors,
      anyMethod,
      auth !== undefined,
    );
  }
  return {
    openapi: '3.1.0',
    info: {
      title: provider.title,
      version,
      description:
        `Emulated by image-api-mocks under ${provider.mountPaths.join(', ')}. Generated from schemas/${provider.name}/, ` +
        'the schemas every response of the mock is validated against.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components,
  };
}

function operation(
  provider: Provider,
  method: Method,
  template: string,
  e: Operation,
  errors: ResponseDoc[],
  anyMethod: boolean,
  secured: boolean,
): Json {
  const pathParams = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const parameters = [
    ...pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(e.parameters ?? []).map((p) => ({
      name: p.name,
      in: p.in,
      ...(p.description ? { description: p.description } : {}),
      required: p.required ?? false,
      schema: p.schema ?? { type: 'string' },
    })),
  ];
  const description = [e.description, anyMethod ? 'Every other method answers the same.' : undefined]
    .filter(Boolean)
    .join(' ');
  const op: Json = {
    operationId: `${method.toLowerCase()}${template.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: e.summary,
    ...(description ? { description } : {}),
    ...(parameters.length ? { parameters } : {}),
  };
  if (e.request) {
    op.requestBody = {
      required: e.request.required ?? true,
      content: {
        [e.request.contentType ?? 'application/json']: {
          schema: e.request.schema ? ref(provider, e.request.schema) : { type: 'string', format: 'binary' },
        },
      },
    };
  }
  // the operation's own answers first; a shared error it already documents keeps its own wording
  const responses = new Map<number, ResponseDoc>();
  for (const r of [...e.responses, ...errors]) if (!responses.has(r.status)) responses.set(r.status, r);
  op.responses = Object.fromEntries(
    [...responses.values()]
      .sort((a, b) => a.status - b.status)
      .map((r) => [
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

/** The provider's own schemas plus every schema they (or its routes) refer to. */
function schemaClosure(provider: Provider, validator: Validator, table: RouteTable): string[] {
  const pending = validator.ids().filter((id) => id.startsWith(`${provider.name}/`));
  for (const { op, errors } of operationsOf(table, '')) {
    if (op.request?.schema) pending.push(op.request.schema);
    for (const r of [...op.responses, ...errors]) if (r.schema) pending.push(r.schema);
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
