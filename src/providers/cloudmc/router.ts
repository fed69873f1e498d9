import type { NextFunction, Request, Response } from 'express';
import type { MockContext } from '../../context.js';
import { authenticate, headerValue } from '../../http/auth.js';
import { createProviderRouter, finishRouter, resource } from '../../http/provider-router.js';
import { createResponder, type WireFormat } from '../../http/respond.js';
import { cloudmcErrorFormat as errorFormat, cloudmcErrors as errors } from './errors.js';
import {
  type ApiKey,
  type CloudmcData,
  findImage,
  indexById,
  listImages,
  listKind,
  mayAccess,
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
 * Answers are serialised and validated once per store version
 * (`ctx.store.derived`), so a repeated list or get costs a map lookup.
 */
export function cloudmcRouter(ctx: MockContext) {
  const router = createProviderRouter(ctx, 'cloudmc');
  const reply = createResponder(ctx, cloudmcJson);
  const data = () => ctx.store.data<CloudmcData>('cloudmc');

  router.use((req: Request, res: Response, next: NextFunction) => {
    const outcome = authenticate(
      ctx.config.auth,
      headerValue(req.headers['mc-api-key']),
      (key) => data().apiKeys.find((k) => k.key === key),
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
    const connection = data().connections.find((c) => c.serviceCode === service);
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
        const body = ctx.store.derived('cloudmc', `list ${connection.serviceCode} ${env} ${kind}`, () => {
          const images = listImages(data().images, connection.serviceCode, env, kind);
          return reply.prepare(
            { data: images.map(toWire), metadata: { recordCount: images.length } },
            'cloudmc/image-list',
          );
        });
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
        const body = ctx.store.derived('cloudmc', `get ${connection.serviceCode} ${env} ${id}`, () => {
          const byId = ctx.store.derived('cloudmc', 'images by id', () => indexById(data().images));
          const image = findImage(byId, connection.serviceCode, env, id);
          return image ? reply.prepare({ data: toWire(image) }, 'cloudmc/image-get') : null;
        });
        if (!body) throw errors.unknownImage(id);
        reply(req, res, 200, body, 'cloudmc/image-get');
      },
    },
    errorFormat,
  );

  return finishRouter(router, ctx, errorFormat, reply);
}
