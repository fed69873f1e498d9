import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import { ControlError } from '../control/errors.js';
import { CONSOLE_FILES } from './docs-routes.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Paths a probe or a person opening the console reaches without the token: nothing in them changes or reveals state. */
const OPEN_READS = new Set([
  '/health',
  '/ready',
  '/',
  ...Object.keys(CONSOLE_FILES).map((file) => `/console/${file}`),
]);

const sameToken = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The token a request presents: `Authorization: Bearer <token>` or `X-Admin-Token: <token>`. */
function presentedToken(req: Request): string | undefined {
  const header = req.get('x-admin-token');
  if (header) return header;
  const auth = req.get('authorization') ?? '';
  return auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined;
}

/**
 * Whether a browser sent this request from another site. Browsers name the
 * requesting site in Sec-Fetch-Site, and the page's origin in Origin on
 * every write (`no-cors` ones too), so a page elsewhere cannot reset the
 * store or freeze the clock; curl, test code and the console (same origin)
 * are not affected.
 */
function crossSite(req: Request): string | null {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${site}`;
  const origin = req.get('origin');
  if (origin === undefined) return null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Origin: ${origin}`;
  }
  return host === req.get('host') ? null : `Origin: ${origin}`;
}

/**
 * In front of /__admin: refuses writes from other sites (403) and, with
 * --admin-token, any request without the token (401), the probes and the
 * console's own page excepted.
 */
export function adminGuard(config: Pick<Config, 'adminToken'>) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!READS.has(req.method)) {
      const from = crossSite(req);
      if (from) throw new ControlError(403, `cross-origin write to the admin API refused (${from})`);
    }
    const expected = config.adminToken;
    if (expected && !(READS.has(req.method) && OPEN_READS.has(req.path))) {
      const given = presentedToken(req);
      if (given === undefined || !sameToken(given, expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="image-api-mocks admin"');
        throw new ControlError(
          401,
          'the admin API needs its token: Authorization: Bearer <token> (--admin-token)',
        );
      }
    }
    next();
  };
}

/**
 * Admin bodies are JSON: a body sent as anything else would otherwise be
 * read as no body at all, and the request done with defaults (a reset with
 * seed 42 instead of the seed sent).
 */
export function jsonBodiesOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json') && !req.is('+json')) {
    throw new ControlError(
      415,
      `admin request bodies are JSON: send Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`,
    );
  }
  next();
}
