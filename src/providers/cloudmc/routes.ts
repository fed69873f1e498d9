import type { Request, Response } from 'express';
import type { MockContext } from '../../context.js';
import { createResponder, preparedSize, type WireFormat } from '../../http/respond.js';
import type { ResponseDoc, RouteTable } from '../../http/route-table.js';
import { cache } from '../../store/cache.js';
import { apiKeyOf, requireApiKey } from './auth.js';
import { cloudmcErrorFormat as errorFormat, cloudmcErrors as errors } from './errors.js';
import {
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

/** What any CloudMC image route can answer besides its own result. */
const ERRORS: ResponseDoc[] = [
  { status: 401, description: 'Missing or invalid MC-Api-Key', schema: 'cloudmc/error' },
  { status: 403, description: 'The key is not bound to this environment', schema: 'cloudmc/error' },
  { status: 404, description: 'Unknown service connection, environment or image', schema: 'cloudmc/error' },
];

/**
 * One table for every CloudMC service connection (stackpath, cox,
 * edge-services ...): the connection's flavour decides its list filter.
 * Answers are serialised and validated once per version of the collections
 * they show (the cache), so a repeated list or get costs a map lookup.
 */
export function cloudmcRoutes(ctx: MockContext): RouteTable {
  const reply = createResponder(ctx, cloudmcJson);
  const connections = ctx.store.collection<Connection>('cloudmc', 'connections');
  const images = ctx.store.collection<StoredImage>('cloudmc', 'images');
  const shown = [images, connections];

  /** Resolves service and environment, in the order CloudMC checks them. */
  const scope = (req: Request, res: Response) => {
    const { service, env } = req.params as { service: string; env: string };
    const connection = connections.get(service);
    if (!connection) throw errors.unknownService(service);
    if (!connection.environments.some((e) => e.name === env)) throw errors.unknownEnvironment(service, env);
    if (!mayAccess(apiKeyOf(res), service, env)) throw errors.environmentForbidden(service, env);
    return { connection, env };
  };

  const list = (req: Request, res: Response) => {
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
  };

  const get = (req: Request, res: Response) => {
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
  };

  return {
    errorFormat,
    errorSchema: 'cloudmc/error',
    reply,
    errors: ERRORS,
    groups: [
      {
        prefix: '',
        use: [requireApiKey(ctx)],
        resources: [
          {
            path: '/:service/:env/images',
            docPath: '/{serviceCode}/{environment}/images',
            operations: {
              GET: {
                summary: 'List the images of an environment (deprecated images hidden)',
                parameters: [
                  {
                    name: 'imageType',
                    in: 'query',
                    description: 'system or custom (Cox Edge / edge-services)',
                  },
                  { name: 'includeOnlySystemImages', in: 'query', description: 'true or false (StackPath)' },
                ],
                responses: [{ status: 200, description: 'The images', schema: 'cloudmc/image-list' }],
                handler: list,
              },
            },
          },
          {
            // The id is `stackId/family/tag`: clients send its slashes raw (or as %2F),
            // so the route takes every remaining segment and joins them back.
            path: '/:service/:env/images/*id',
            docPath: '/{serviceCode}/{environment}/images/{id}',
            operations: {
              GET: {
                summary: 'Get one image',
                description: 'The id is `stackId/family/tag`: clients send its slashes raw or as %2F.',
                responses: [{ status: 200, description: 'The image', schema: 'cloudmc/image-get' }],
                handler: get,
              },
            },
          },
        ],
      },
    ],
  };
}
