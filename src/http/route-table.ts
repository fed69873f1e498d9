import type { RequestHandler, Router } from 'express';
import type { MockContext } from '../context.js';
import { createProviderRouter, type ErrorFormat } from './provider-router.js';
import type { Reply } from './respond.js';
import { dispatchTable } from './route-dispatch.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** One answer an operation can give, for the OpenAPI document. */
export interface ResponseDoc {
  status: number;
  description: string;
  /** Schema id under schemas/ of a JSON (or `contentType`) body. */
  schema?: string;
  contentType?: string;
}

/** A query or header parameter (path parameters come from the path itself). */
export interface ParameterDoc {
  name: string;
  in: 'query' | 'header';
  description?: string;
  required?: boolean;
  schema?: object;
}

/** One method of one path: what it does, what it answers, and the handler that does it. */
export interface Operation {
  summary: string;
  description?: string;
  parameters?: ParameterDoc[];
  /** Request body: its schema id under schemas/ (none: any bytes) and its content type (JSON by default). */
  request?: { schema?: string; contentType?: string; required?: boolean };
  /** Every status this operation itself answers; the table's `errors` are added to each. */
  responses: ResponseDoc[];
  /** Runs before `handler` for this method only (a body parser, say). */
  before?: RequestHandler[];
  handler: RequestHandler;
}

/** One path and its methods; any other method gets the provider's 405 with its Allow header. */
export interface Resource {
  /** Express path under the group's prefix, e.g. `/images/:id` or `/:service/:env/images/*id`. */
  path: string;
  /** The OpenAPI template when the Express path does not spell it (a trailing slash, a named wildcard). */
  docPath?: string;
  /** Runs for every method of this path, the refused ones included, before the method is looked at. */
  use?: RequestHandler[];
  operations: Partial<Record<Method, Operation>>;
  /** Every method answers with the GET operation (documented once, as GET). */
  anyMethod?: boolean;
  /**
   * Another method is not refused here: it goes on as if the path were
   * unknown (Glance's Keystone shim, whose other methods get the version
   * document like any path Glance does not route).
   */
  fallThrough?: boolean;
}

/** Resources under one prefix that share middleware (a token check) and a fallback. */
export interface RouteGroup {
  /** '' mounts the group on the provider's router itself, so its `use` runs for every later group too. */
  prefix: string;
  /** More prefixes serving the same routes (Glance's /v2.0 … /v2.16); documented under `prefix` only. */
  aliases?: string[];
  /** A trailing slash is another path (Glance's routes), not the same one (Express's default). */
  strict?: boolean;
  use?: RequestHandler[];
  /** Errors every operation of the group can answer besides the table's (its `use` refusing a token ...). */
  errors?: ResponseDoc[];
  resources: Resource[];
  /** Answers a path under the prefix that no resource matches; without one, the next group is tried. */
  fallback?: RequestHandler;
}

/**
 * A provider's routes, declared once: the same table builds its Express
 * router, its OpenAPI document under /__admin/openapi/ and the console's
 * endpoint list.
 */
export interface RouteTable {
  errorFormat: ErrorFormat;
  /** Schema id of the provider's JSON error body, for the errors the shared router kit answers. */
  errorSchema: string;
  /** Renders the JSON errors (the provider's spacing, validated). */
  reply: Reply;
  /** Errors every operation can answer (a bad credential ...) besides the shared kit's 405 and 431. */
  errors: ResponseDoc[];
  groups: RouteGroup[];
  /** Answers a path no group claims; without one, the provider's no-route error. */
  fallback?: RequestHandler;
  /** HEAD is refused like any undeclared method (Glance), instead of answering as GET (Express's way). */
  refuseHead?: boolean;
}

/**
 * The Express router a table describes: its routes, one radix lookup per
 * group (src/http/route-dispatch.ts), inside what every provider shares
 * (src/http/provider-router.ts).
 */
export function buildRouter(ctx: MockContext, provider: string, table: RouteTable): Router {
  return createProviderRouter(ctx, provider, dispatchTable(table), table.errorFormat, table.reply);
}

/** `/images/:id` or `/images/*id` as an OpenAPI template: `/images/{id}`. */
export function docTemplate(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** What the shared router kit answers on any route, in the provider's own error format. */
function kitErrors(table: RouteTable, anyMethod: boolean): ResponseDoc[] {
  const schema = table.errorSchema;
  return [
    ...(anyMethod
      ? []
      : [{ status: 405, description: 'Another method on this path (Allow lists the methods)', schema }]),
    { status: 431, description: 'Request header fields too large', schema },
  ];
}

/** Every documented operation of a table, with its path from the server root under one mount path. */
export function operationsOf(
  table: RouteTable,
  mountPath: string,
): { method: Method; path: string; op: Operation; anyMethod: boolean; errors: ResponseDoc[] }[] {
  return table.groups.flatMap((group) =>
    group.resources.flatMap((resource) =>
      (Object.entries(resource.operations) as [Method, Operation][]).map(([method, op]) => ({
        method,
        path: mountPath + group.prefix + (resource.docPath ?? docTemplate(resource.path)),
        op,
        anyMethod: resource.anyMethod === true,
        errors: [...(group.errors ?? []), ...table.errors, ...kitErrors(table, resource.anyMethod === true)],
      })),
    ),
  );
}
