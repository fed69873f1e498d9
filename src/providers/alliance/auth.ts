import type { NextFunction, Request, Response } from 'express';
import { headerValue } from '../../http/auth.js';
import type { ParameterDoc } from '../../http/route-table.js';
import { allianceErrors as errors } from './errors.js';
import type { Scope } from './model/index.js';

/**
 * The front end trusts its caller: no credential, but every request names
 * its controller (X-Target-Ns, checked first) and project
 * (X-Environment-Id), and that pair decides what it sees.
 */
export function requireScope(req: Request, res: Response, next: NextFunction): void {
  const namespace = headerValue(req.headers['x-target-ns'])?.trim();
  if (!namespace) throw errors.missingHeader('X-Target-Ns');
  const environment = headerValue(req.headers['x-environment-id'])?.trim();
  if (!environment) throw errors.missingHeader('X-Environment-Id');
  res.locals.scope = { namespace, environment } satisfies Scope;
  next();
}

/** The scope `requireScope` found. */
export const scopeOf = (res: Response) => res.locals.scope as Scope;

/** The two headers, for every operation's documentation. */
export const SCOPE_HEADERS: ParameterDoc[] = [
  {
    name: 'X-Target-Ns',
    in: 'header',
    required: true,
    description: 'the controller (namespace), e.g. ccsr1',
  },
  {
    name: 'X-Environment-Id',
    in: 'header',
    required: true,
    description: 'the OpenStack project that owns images',
  },
];
