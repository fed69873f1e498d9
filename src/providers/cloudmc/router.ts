import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../context.js';
import { authenticate, headerValue } from '../../http/auth.js';
import { createProviderRouter, finishRouter, resource } from '../../http/provider-router.js';
import { createResponder, preparedSize, type WireFormat } from '../../http/respond.js';
import { cache } from '../../store/cache.js';
import { cloudmcErrorFormat as errorFormat, cloudmcErrors as errors } from './errors.js';
import {
  type ApiKey,
  type Connection,
  findImage,
  listImages,
  listKind,
  mayAccess,
  type StoredImage,
  toWire,
} from './model.js';

/** The seed documents show two-space indented JSON; the mock writes exactly that. */
const cloudmcJson: WireFormat = {
  contentType: 'application/json',
  serialize: (body) => JSON.stringify(body, null, 2),
};

const STAND_IN_KEY: Omit<ApiKey, 'key'> = {
  name: 'any-key mode stand-in',
  bindings: [{ serviceCode: '*', environment: '*' }],
};

/**
 * One router for every CloudMC service connection (stackpath, cox,
 * edge-services ...): the connection's flavour decides its list filter.
 * Answers are serialised and validated once per version of the collections
 * they show (the cache), so a repeated list or get costs a map lookup.
 */
export function cloudmcRouter(ctx: MockContext) {
  const router = createProviderRouter(ctx, 'cloudmc');
  const reply = createResponder(ctx, cloudmcJson);
  const connections = ctx.store.collection<Connection>('cloudmc', 'connections');
  const apiKeys = ctx.store.collection<ApiKey>('cloudmc', 'apiKeys');
  const images = ctx.store.collection<StoredImage>('cloudmc', 'images');
  const shown = [images, connections];

  router.use((req: Request, res: Response, next: NextFunction) => {
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
  });

  /** Resolves service and environment, in the order CloudMC checks them. */
  const scope = (req: Request, res: Response) => {
    const { service, env } = req.params as { service: string; env: string };
    const connection = connections.get(service);
    if (!connection) throw errors.unknownService(service);
    if (!connection.environments.some((e) => e.name === env)) throw errors.unknownEnvironment(service, env);
    if (!mayAccess(res.locals.apiKey as ApiKey, service, env))
      throw errors.environmentForbidden(service, env);
    return { connection, env };
  };

  resource(
    router,
    '/:service/:env/images',
    {
      GET: (req, res) => {
        const { connection, env } = scope(req, res);
        const kind = listKind(connection.flavour, req.query);
        const body = cache.get(
          shown,
          `cloudmc list ${connection.serviceCode} ${env} ${kind}`,
          () => {
            const listed = listImages(images.all(), connection.serviceCode, env, kind);
            return reply.prepare(
              { data: listed.map(toWire), metadata: { recordCount: listed.length } },
              'cloudmc/image-list',
            );
          },
          preparedSize,
        );
        reply(req, res, 200, body, 'cloudmc/image-list');
      },
    },
    errorFormat,
  );

  // The id is `stackId/family/tag`: clients send its slashes raw (or as %2F),
  // so the route takes every remaining segment and joins them back.
  resource(
    router,
    '/:service/:env/images/*id',
    {
      GET: (req, res) => {
        const { connection, env } = scope(req, res);
        const id = (req.params as unknown as { id: string[] }).id.join('/');
        const body = cache.get(
          shown,
          `cloudmc get ${connection.serviceCode} ${env} ${id}`,
          () => {
            const image = findImage(images.by('id', id), connection.serviceCode, env);
            return image ? reply.prepare({ data: toWire(image) }, 'cloudmc/image-get') : null;
          },
          preparedSize,
        );
        if (!body) throw errors.unknownImage(id);
        reply(req, res, 200, body, 'cloudmc/image-get');
      },
    },
    errorFormat,
  );

  return finishRouter(router, ctx, errorFormat, reply);
}
