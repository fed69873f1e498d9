import type { Request } from 'express';

/*
 * Express's mount rules, for the dispatchers that choose a router or a
 * route group themselves rather than walking one Express layer per mount
 * (src/instance.ts, src/http/route-dispatch.ts): a prefix takes whole path
 * segments in any case, and while the mounted handler runs the prefix moves
 * from req.url to req.baseUrl, restored when it hands the request on.
 */

/** A request target as Express's router reads it: an absolute-form target by its path, no query. */
export interface Target {
  /** `http://host` of an absolute-form target, kept in req.url as Express keeps it; '' otherwise. */
  protohost: string;
  path: string;
  /** The parts of req.url around the path: protohost before, `?query` after. */
  query: string;
}

export function targetOf(url: string): Target {
  const queryAt = url.indexOf('?');
  const beforeQuery = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  let protohost = '';
  if (beforeQuery.charCodeAt(0) !== 47) {
    const scheme = beforeQuery.indexOf('://');
    if (scheme !== -1) {
      const pathAt = beforeQuery.indexOf('/', scheme + 3);
      protohost = pathAt === -1 ? beforeQuery : beforeQuery.slice(0, pathAt);
    }
  }
  const path = beforeQuery.slice(protohost.length);
  return { protohost, path: path === '' && protohost ? '/' : path, query };
}

/**
 * How much of `path` the first matching prefix takes (lower-cased
 * prefixes), or -1. '' takes nothing of any path that is one (`OPTIONS *`
 * is not).
 */
export function prefixLength(path: string, prefixes: readonly string[]): number {
  for (const prefix of prefixes) {
    if (prefix === '') {
      if (path === '' || path.charCodeAt(0) === 47) return 0;
      continue;
    }
    const n = prefix.length;
    if (path.length < n || path.slice(0, n).toLowerCase() !== prefix) continue;
    if (path.length === n || path.charCodeAt(n) === 47) return n;
  }
  return -1;
}

/** Where a request stood before a mount: what `leave` puts back. */
export interface Entry {
  url: string;
  baseUrl: string;
  params: Request['params'];
}

/**
 * Moves the first `taken` characters of the path into req.baseUrl, as
 * Express does for a router mounted there: `/v2` and `/v2/` both reach it
 * as `/`. Returns what `leave` needs to undo it.
 */
export function enter(req: Request, target: Target, taken: number): Entry {
  const entry = { url: req.url, baseUrl: req.baseUrl, params: req.params };
  if (taken > 0) {
    const rest = target.path.slice(taken);
    req.url = `${target.protohost}${rest === '' ? '/' : rest}${target.query}`;
    req.baseUrl = entry.baseUrl + target.path.slice(0, taken);
  }
  return entry;
}

export function leave(req: Request, entry: Entry): void {
  req.url = entry.url;
  req.baseUrl = entry.baseUrl;
  req.params = entry.params;
}
