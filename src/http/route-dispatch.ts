import FindMyWay from 'find-my-way';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { enter, leave, prefixLength, targetOf } from './mount.js';
import { MAX_HEADER_BYTES } from './provider-router.js';
import type { Method, Resource, RouteGroup, RouteTable } from './route-table.js';

/*
 * A provider's routes as one radix lookup per group (find-my-way) instead of
 * one Express layer per route: Express tries its layers in turn, a regular
 * expression each, so a Glance request walked up to 300 of them and two
 * nested routers (docs/performance.md). What Express did is kept: a group's
 * prefix is stripped from req.url into req.baseUrl while it runs, its `use`
 * runs before its routes, paths match case-insensitively, a trailing slash is
 * optional unless the group is strict, a handler's next() goes on to the
 * group's fallback and then the next group, and errors go to the provider's
 * error handler.
 */

/** One resource's handlers per method, composed once. */
interface CompiledResource {
  declared: Resource;
  chains: Partial<Record<string, RequestHandler[]>>;
  /** For any method without a chain: the 405 (with `use` first), or null to go on (fallThrough). */
  refused: RequestHandler[] | null;
  /** The Express name of a trailing `*name` wildcard, given to handlers as its segments. */
  wildcard: string | null;
}

interface CompiledGroup {
  /** The prefix and its aliases, lower-cased ('' for the provider's own root). */
  prefixes: string[];
  use: RequestHandler[];
  routes: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;
  fallback: RequestHandler | null;
}

const NO_QUERY = Object.freeze({}) as Record<string, string>;

/** Express's `/images/:id` and `/x/*rest` in find-my-way's spelling (`*` is its wildcard, unnamed). */
function radixPath(expressPath: string): { path: string; wildcard: string | null } {
  const star = /\/\*([A-Za-z_][A-Za-z0-9_]*)$/.exec(expressPath);
  if (!star) return { path: expressPath, wildcard: null };
  return { path: `${expressPath.slice(0, star.index)}/*`, wildcard: star[1]! };
}

function compileResource(resource: Resource, table: RouteTable): CompiledResource {
  const use = resource.use ?? [];
  const methods = Object.keys(resource.operations) as Method[];
  const chains: CompiledResource['chains'] = {};
  const { wildcard } = radixPath(resource.path);
  if (resource.anyMethod) {
    const get = resource.operations.GET!;
    return { declared: resource, chains, refused: [...use, ...(get.before ?? []), get.handler], wildcard };
  }
  for (const method of methods) {
    const op = resource.operations[method]!;
    chains[method] = [...use, ...(op.before ?? []), op.handler];
  }
  // Express answers HEAD with the GET handler unless told otherwise (Glance refuses it like any other)
  if (chains.GET && !(table.refuseHead && !resource.fallThrough)) chains.HEAD = chains.GET;
  const errors = table.errorFormat;
  const refuse: RequestHandler = (req, _res, next) => {
    const err = errors.failure('method-not-allowed', req, methods);
    err.headers.Allow = errors.allowHeader(methods);
    next(err);
  };
  return { declared: resource, chains, refused: resource.fallThrough ? null : [...use, refuse], wildcard };
}

function compileGroup(group: RouteGroup, table: RouteTable): CompiledGroup {
  const routes = FindMyWay({
    caseSensitive: false,
    ignoreTrailingSlash: group.strict !== true,
    // a long id must reach its handler (and its own 404), not miss the route; the header cap bounds it
    maxParamLength: MAX_HEADER_BYTES,
    onBadUrl: () => undefined,
    querystringParser: () => NO_QUERY,
  });
  for (const resource of group.resources) {
    // every method shares one entry: the method is chosen after the path, as Express's route did
    routes.on('GET', radixPath(resource.path).path, () => undefined, compileResource(resource, table));
  }
  return {
    prefixes: [group.prefix, ...(group.aliases ?? [])].map((p) => p.toLowerCase()),
    use: group.use ?? [],
    routes,
    fallback: group.fallback ?? null,
  };
}

/**
 * Runs handlers in turn as Express does: next() for the following one,
 * next(err) or a throw or a rejected promise to `done(err)`, and `done()`
 * after the last.
 */
export function runChain(
  chain: readonly RequestHandler[],
  req: Request,
  res: Response,
  done: (err?: unknown) => void,
): void {
  let i = 0;
  const next = (err?: unknown): void => {
    if (err !== undefined && err !== null) return done(err);
    const handler = chain[i++];
    if (!handler) return done();
    try {
      const returned = handler(req, res, next);
      if (returned instanceof Promise)
        returned.then(undefined, (e: unknown) => next(e ?? new Error('Rejected promise')));
    } catch (e) {
      next(e);
    }
  };
  next();
}

/**
 * The resource of `group` that a path under the group's prefix reaches (its
 * params put on `req`), 'bad-url' for escapes that do not decode, or null.
 */
function lookup(group: CompiledGroup, rest: string, req: Request): CompiledResource | 'bad-url' | null {
  return routeOf(group.routes.find('GET', rest || '/'), req, rest);
}

const compiledForTests = new WeakMap<RouteTable, CompiledGroup[]>();

/**
 * Which declared resource a path from the provider's mount point reaches,
 * for tests: the same prefix rule and lookup as a request goes through.
 */
export function resourceAt(table: RouteTable, path: string): Resource | 'bad-url' | null {
  let groups = compiledForTests.get(table);
  if (!groups) compiledForTests.set(table, (groups = table.groups.map((g) => compileGroup(g, table))));
  for (const group of groups) {
    const taken = prefixLength(path, group.prefixes);
    if (taken < 0) continue;
    const found = lookup(group, path.slice(taken), { params: {} } as Request);
    if (found) return found === 'bad-url' ? found : found.declared;
    if (group.fallback) return null;
  }
  return null;
}

/** Every group of a table, then its fallback, as one middleware of the provider's router. */
export function dispatchTable(table: RouteTable): RequestHandler {
  const groups = table.groups.map((g) => compileGroup(g, table));
  const tableFallback = table.fallback ? [table.fallback] : null;

  return function dispatch(req: Request, res: Response, next: NextFunction) {
    const target = targetOf(req.url);
    const at = { url: req.url, baseUrl: req.baseUrl, params: req.params };
    let g = 0;

    const nextGroup = (err?: unknown): void => {
      leave(req, at);
      if (err !== undefined && err !== null) return next(err);
      const group = groups[g++];
      if (!group) return tableFallback ? runChain(tableFallback, req, res, next) : next();
      const taken = prefixLength(target.path, group.prefixes);
      if (taken < 0) return nextGroup();
      enter(req, target, taken);
      runChain(group.use, req, res, (err?: unknown) => {
        if (err !== undefined && err !== null) return nextGroup(err);
        const matched = lookup(group, target.path.slice(taken), req);
        const fallback = () =>
          group.fallback ? runChain([group.fallback], req, res, nextGroup) : nextGroup();
        if (matched === 'bad-url') return nextGroup(new URIError(`Failed to decode ${target.path}`));
        if (!matched) return fallback();
        const chain = matched.chains[req.method] ?? matched.refused;
        if (!chain) return fallback();
        runChain(chain, req, res, (err?: unknown) =>
          err !== undefined && err !== null ? nextGroup(err) : fallback(),
        );
      });
    };
    nextGroup();
  };
}

type Found = ReturnType<FindMyWay.Instance<FindMyWay.HTTPVersion.V1>['find']>;

/** The resource a lookup found, its params on `req` as Express gives them; 'bad-url' for undecodable escapes. */
function routeOf(found: Found, req: Request, path: string): CompiledResource | 'bad-url' | null {
  if (!found) return null;
  if (found.store === null) return 'bad-url';
  const resource = found.store as CompiledResource;
  const params: Record<string, string | string[]> = {};
  for (const name in found.params) {
    const value = found.params[name]!;
    // Express's parameters are never empty (`/images//members` is no route)
    if (value === '') return null;
    // Express's wildcard keeps a trailing slash as an empty last segment (CloudMC: `id/` is another id)
    if (name === '*')
      params[resource.wildcard!] = (path.endsWith('/') && !value.endsWith('/') ? `${value}/` : value).split(
        '/',
      );
    else params[name] = value;
  }
  req.params = params as Request['params'];
  return resource;
}
