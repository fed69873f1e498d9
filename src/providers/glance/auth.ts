import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../context.js';
import { authenticate, headerValue } from '../../http/auth.js';
import type { AuthDoc } from '../provider.js';
import { glanceErrors } from './errors.js';
import type { TokenRecord } from './model/index.js';
import type { Caller } from './model/image.js';

/** In `MOCK_AUTH=any` mode an unknown token is an admin of this project. */
/** The credential scheme, for the OpenAPI document. */
export const glanceAuth: AuthDoc = {
  type: 'apiKey',
  in: 'header',
  name: 'X-Auth-Token',
  description: 'A fixture token, or one from POST /v3/auth/tokens (the Keystone shim).',
};

export const STAND_IN_PROJECT = 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0';

export function callerOf(token: TokenRecord): Caller {
  return {
    projectId: token.project_id,
    userId: token.user_id,
    roles: token.roles,
    isAdmin: token.roles.includes('admin'),
  };
}

/**
 * keystonemiddleware's part: X-Auth-Token must name a known token (any
 * non-empty one in `any` mode). Its 401 comes before Glance's own context
 * middleware, so it carries no X-Openstack-Request-Id.
 */
export function requireToken(ctx: MockContext, lookup: (token: string) => TokenRecord | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    const outcome = authenticate(
      ctx.config.auth,
      headerValue(req.headers['x-auth-token']),
      lookup,
      (token) => ({
        token,
        project_id: STAND_IN_PROJECT,
        project_name: 'admin',
        user_id: 'stand-in',
        user_name: 'stand-in',
        roles: ['admin', 'member', 'reader'],
        expires_at: '2099-01-01T00:00:00.000000Z',
      }),
    );
    if (!outcome.ok) return next(glanceErrors.unauthorized());
    res.locals.caller = callerOf(outcome.identity);
    next();
  };
}

export const callerFrom = (res: Response) => res.locals.caller as Caller;
