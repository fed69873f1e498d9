import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../context.js';
import { authenticate, headerValue } from '../../http/auth.js';
import { cloudmcErrors as errors } from './errors.js';
import type { ApiKey } from './model.js';

/** The identity an unknown key gets in `any` auth mode: bound to every environment. */
const STAND_IN_KEY: Omit<ApiKey, 'key'> = {
  name: 'any-key mode stand-in',
  bindings: [{ serviceCode: '*', environment: '*' }],
};

/**
 * CloudMC's `MC-Api-Key` check, before any path is resolved: a missing key
 * and an unknown one get their own errors. The key found is `res.locals.apiKey`.
 */
export function requireApiKey(ctx: MockContext) {
  const apiKeys = ctx.store.collection<ApiKey>('cloudmc', 'apiKeys');
  return (req: Request, res: Response, next: NextFunction) => {
    const outcome = authenticate(
      ctx.config.auth,
      headerValue(req.headers['mc-api-key']),
      (key) => apiKeys.get(key),
      (key) => ({ key, ...STAND_IN_KEY }),
    );
    if (!outcome.ok)
      return next(outcome.reason === 'missing' ? errors.missingApiKey() : errors.invalidApiKey());
    res.locals.apiKey = outcome.identity;
    next();
  };
}

/** The key the request was authenticated with. */
export const apiKeyOf = (res: Response) => res.locals.apiKey as ApiKey;
