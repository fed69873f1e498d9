import type { Request, Response } from 'express';

/**
 * The absolute URL a client used to reach this mock, including any prefix
 * the mock itself put in front of the providers (a test sandbox). Providers
 * build every absolute link (Location, version documents, catalogs) from it.
 */
export function publicBaseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${basePath(req.res)}`;
}

/** The path prefix in front of the provider paths ('' unless a sandbox set one). */
export function basePath(res: Response | undefined): string {
  return (res?.locals.basePath as string | undefined) ?? '';
}
